import { createHash } from "node:crypto";
import { CONTAINERS, type TUser, type TUserIdentity, ZUser } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

function idOf(key: string): TUser["id"] {
  const digest = createHash("sha256").update(key).digest();
  let out = "";
  for (let i = 0; i < 20; i += 1) out += ALPHABET[digest[i]! & 31];
  return `usr_${out}`;
}

/**
 * A person's id is derived from their identity (provider and subject), so two first sign-ins
 * racing each other create one user, not two. A local account keeps the derivation user ids
 * always had (the lower-cased email), so accounts made before identities are still found; an
 * Entra identity hashes provider, tenant and object id (a newline can never be part of an email),
 * so it can never land on a local account's id, whatever its email.
 */
export function userIdFor(identity: TUserIdentity): TUser["id"] {
  switch (identity.provider) {
    case "local":
    case "legacy-entra":
      return idOf(identity.email.toLowerCase());
    case "entra":
      return idOf(`entra\n${identity.tenantId}\n${identity.objectId}`);
  }
}

export function userStore(store: Store) {
  const users = new DocumentCollection(store, CONTAINERS.users, ZUser, {
    exists: "An account with this email already exists. Sign in instead.",
    changed: "This account was changed at the same time; try again.",
    existsField: "email",
  });
  return {
    get: (id: string) => users.read(id, id),
    create: (user: TUser) => users.create(user),
    replace: (user: TUser, etag: string) => users.replace(user, etag, user.id),
    update: (id: string, change: (current: TUser) => TUser | undefined) => users.update(id, id, change),
    /** Takes back an account a failed sign-up just made, only if still as made: one someone has since used stays. */
    deleteIfUnchanged: (id: string, etag: string) => users.deleteIfUnchanged(id, id, etag),
    /** Someone with an account, if anyone has one (a fresh install has none). */
    anyone: async () => (await users.query("SELECT * FROM c", [], { limit: 1 })).items[0],
  };
}
