import type { TUser } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { userIdForEmail, userStore } from "../../store/user-store";

export interface SignInUserOptions {
  store: Store;
  email: string;
  name: string;
  provider: TUser["lastProvider"];
}

/**
 * Records a sign-in: creates the person on first sign-in, refreshes name and time after, and
 * links the memberships that were waiting for this email (members are added by email before
 * they ever sign in).
 */
export async function signInUser({ store, email, name, provider }: SignInUserOptions): Promise<TUser> {
  const users = userStore(store);
  const id = userIdForEmail(email);
  const now = new Date().toISOString();
  let user: TUser;
  const existing = await users.get(id);
  if (existing) {
    const { etag, ...current } = existing;
    user = { ...current, name, lastProvider: provider, lastSignInAt: now };
    await users.replace(user, etag).catch((error: unknown) => {
      // Two tabs signing in at once: the other write carries the same facts.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    });
  } else {
    user = { id, type: "user", email, name, lastProvider: provider, createdAt: now, lastSignInAt: now };
    await users.create(user).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    });
  }

  const members = memberStore(store);
  for (const member of await members.listForEmail(email)) {
    if (member.userId !== null) continue;
    const { etag, ...waiting } = member;
    await members.replace({ ...waiting, userId: id, name: waiting.name ?? name, updatedAt: now }, etag).catch((error: unknown) => {
      log.warn("member.link_failed", { workspaceId: member.workspaceId, memberId: member.id, error });
    });
  }
  return user;
}
