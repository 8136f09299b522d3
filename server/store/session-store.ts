import { CONTAINERS, type TSession, ZSession } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function sessionStore(store: Store) {
  const sessions = new DocumentCollection(store, CONTAINERS.sessions, ZSession, {
    exists: "This session already exists.",
    changed: "This session was changed at the same time.",
  });
  return {
    get: (userId: string, sessionId: string) => sessions.read(sessionId, userId),
    create: (session: TSession) => sessions.create(session),
    delete: (userId: string, sessionId: string) => sessions.delete(sessionId, userId),
    listForUser: (userId: string) => sessions.queryAll("SELECT * FROM c", [], { partitionKey: userId }),
  };
}
