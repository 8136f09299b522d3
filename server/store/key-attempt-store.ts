import { CONTAINERS, ZKeyAttempts } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export type KeyAttempts = { id: string; windowStart: string; count: number };

export function keyAttemptStore(store: Store) {
  const attempts = new DocumentCollection(store, CONTAINERS.keyAttempts, ZKeyAttempts, {
    exists: "attempts already counted",
    changed: "attempts counted concurrently",
  });
  return {
    get: (id: string) => attempts.read(id, id),
    create: (doc: KeyAttempts) => attempts.create(doc),
    replace: (doc: KeyAttempts, etag: string) => attempts.replace(doc, etag, doc.id),
  };
}
