import { createHash } from "node:crypto";
import { CONTAINERS, type TUser, ZUser } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/**
 * A person's id is derived from their (lower-cased) email, so two first sign-ins racing each
 * other create one user, not two: the second create meets the first one's id.
 */
export function userIdForEmail(email: string): TUser["id"] {
  const digest = createHash("sha256").update(email.toLowerCase()).digest();
  let out = "";
  for (let i = 0; i < 20; i += 1) out += ALPHABET[digest[i]! & 31];
  return `usr_${out}`;
}

export function userStore(store: Store) {
  const users = new DocumentCollection(store, CONTAINERS.users, ZUser, {
    exists: "This person already has an account.",
    changed: "This account was changed at the same time; try again.",
  });
  return {
    get: (id: string) => users.read(id, id),
    create: (user: TUser) => users.create(user),
    replace: (user: TUser, etag: string) => users.replace(user, etag, user.id),
  };
}
