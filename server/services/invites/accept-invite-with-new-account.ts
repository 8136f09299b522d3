import type { TUser } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";
import { endAllSessions } from "../sessions/sessions";
import { createLocalAccount } from "../users/create-local-account";
import { assertPasswordAccounts } from "../users/local-mode";
import { hashPassword } from "../users/password-hash";
import { assertCanJoin, joinWorkspace } from "./join-workspace";
import { assertInviteFor, claimInvite, openInvite } from "./open-invite";

export interface AcceptWithNewAccountOptions {
  store: Store;
  token: string;
  name: string;
  email: string;
  password: string;
}

/**
 * Someone without an account opens an invite link: they create a local account with a password
 * and, for a workspace invite, become a member. Only with the email the link was made for. What
 * would refuse the membership (the issuer's standing, the members cap, the email already a
 * member) is checked before the account is made; the invite is then claimed, so a link works once
 * even when two people submit it together. If anything after fails, the link is given back and
 * the account made here is taken back: a link that cannot be joined creates no accounts.
 */
export async function acceptInviteWithNewAccount({ store, token, name, email, password }: AcceptWithNewAccountOptions): Promise<{ workspaceId: string | null; userId: string }> {
  assertPasswordAccounts();
  const invite = await openInvite(store, token);
  assertInviteFor(invite, email, "create the account with that address");
  const users = userStore(store);
  const id = userIdFor({ provider: "local", email });
  const existing = await users.get(id);
  // A platform invite bound to this email may set the password of a local account made before passwords.
  const reclaim = Boolean(existing && !invite.workspaceId && invite.email === email && existing.identity.provider === "local" && !existing.password);
  if (existing && !reclaim) {
    throw new AppError("CONFLICT", "An account with this email already exists. Sign in with it, then open the link again.", { field: "email" });
  }

  if (invite.workspaceId) await assertCanJoin(store, invite, email);
  const claim = await claimInvite(store, invite, id);
  let user: TUser;
  let created: TUser | undefined;
  try {
    if (reclaim) {
      const hash = await hashPassword(password);
      const now = new Date().toISOString();
      const updated = await users.update(id, (current) => (current.password ? undefined : { ...current, name, password: hash, passwordChangedAt: now }));
      if (!updated?.after) throw new AppError("CONFLICT", "This account got a password meanwhile. Sign in with it.", { field: "email" });
      const { etag: _etag, ...after } = updated.after;
      user = after;
      await endAllSessions(store, id, "password_set_by_invite");
    } else {
      user = created = await createLocalAccount({ store, name, email, password });
    }
    if (invite.workspaceId) await joinWorkspace(store, invite, user);
  } catch (error) {
    if (created) {
      const made = await users.get(created.id).catch(() => undefined);
      if (made && made.createdAt === created.createdAt) await userStore(store).deleteIfUnchanged(made.id, made.etag).catch(() => undefined);
    }
    await claim.release();
    throw error;
  }
  return { workspaceId: invite.workspaceId, userId: user.id };
}
