import { CONTAINERS, type TSignInAttempts, ZFirstAccountClaim, ZSignInAttempts } from "@/prisma-free-schema";
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

/** The one "first account" claim of an install (the system container). */
export function firstAccountClaimStore(store: Store) {
  const claims = new DocumentCollection(store, CONTAINERS.system, ZFirstAccountClaim, {
    exists: "This platform already has its first account. Sign in, or ask for an invite link.",
    changed: "The first account was claimed at the same moment.",
  });
  return {
    get: () => claims.read("first-account", "first-account"),
    create: (userId: string) => claims.create({ id: "first-account", type: "first-account-claim", userId, createdAt: new Date().toISOString() }),
    delete: () => claims.delete("first-account", "first-account"),
  };
}
