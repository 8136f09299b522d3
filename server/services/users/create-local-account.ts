import type { TUser } from "@/prisma-free-schema";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";
import { hashPassword } from "./password-hash";

export interface CreateLocalAccountOptions {
  store: Store;
  name: string;
  email: string;
  password: string;
}

/**
 * A new local account with a password. Its id is derived from the email, so an existing account
 * (or two people creating the same one at once) meets a CONFLICT: "already exists, sign in".
 */
export async function createLocalAccount({ store, name, email, password }: CreateLocalAccountOptions): Promise<TUser> {
  const now = new Date().toISOString();
  const user: TUser = {
    id: userIdFor({ provider: "local", email }),
    type: "user",
    identity: { provider: "local", email },
    email,
    name,
    password: await hashPassword(password),
    lastProvider: "local",
    createdAt: now,
    lastSignInAt: now,
    passwordChangedAt: now,
  };
  const { etag: _etag, ...created } = await userStore(store).create(user);
  return created;
}
