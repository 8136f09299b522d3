import { CONTAINERS, type TSignInAttempts, ZSignInAttempts } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function signInAttemptStore(store: Store) {
  const attempts = new DocumentCollection(store, CONTAINERS.signInAttempts, ZSignInAttempts, {
    exists: "attempts already counted",
    changed: "attempts counted concurrently",
  });
  return {
    get: (id: string) => attempts.read(id, id),
    create: (doc: TSignInAttempts) => attempts.create(doc),
    replace: (doc: TSignInAttempts, etag: string) => attempts.replace(doc, etag, doc.id),
    /** Read, change, replace on the etag; read again and reapply when another write came first. */
    update: (id: string, change: (current: TSignInAttempts) => TSignInAttempts | undefined) => attempts.update(id, id, change, { attempts: 20 }),
    delete: (id: string) => attempts.delete(id, id),
  };
}
