import { CONTAINERS, ZFirstAccountClaim } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

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
