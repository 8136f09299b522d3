import type { TUser } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { userIdFor, userStore } from "../../store/user-store";
import { endAllSessions } from "../sessions/sessions";
import { createLocalAccount } from "../users/create-local-account";
import { assertPasswordAccounts } from "../users/local-mode";
import { hashPassword } from "../users/password-hash";
import { joinWorkspace } from "./join-workspace";
import { claimInvite, openInvite } from "./open-invite";

export interface AcceptWithNewAccountOptions {
  store: Store;
  token: string;
  name: string;
  email: string;
  password: string;
}

/**
 * Someone without an account opens an invite link: they create a local account with a password
 * and, for a workspace invite, become a member. The invite is claimed first, so a link works
 * once even when two people submit it together; if the account cannot be made, it is given back.
 */
export async function acceptInviteWithNewAccount({ store, token, name, email, password }: AcceptWithNewAccountOptions): Promise<{ workspaceId: string | null; userId: string }> {
  assertPasswordAccounts();
  const invite = await openInvite(store, token);
  if (invite.email && !invite.workspaceId && invite.email !== email) {
    throw new AppError("BAD_REQUEST", `This link is for ${invite.email}.`, { field: "email" });
  }
  const users = userStore(store);
  const id = userIdFor({ provider: "local", email });
  const existing = await users.get(id);
  // A platform invite bound to this email may set the password of a local account made before passwords.
  const reclaim = Boolean(existing && !invite.workspaceId && invite.email === email && existing.identity.provider === "local" && !existing.password);
  if (existing && !reclaim) {
    throw new AppError("CONFLICT", "An account with this email already exists. Sign in with it, then open the link again.", { field: "email" });
  }

  const claim = await claimInvite(store, invite, id);
  let user: TUser;
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
      user = await createLocalAccount({ store, name, email, password });
    }
    if (invite.workspaceId) await joinWorkspace(store, invite, user);
  } catch (error) {
    await claim.release();
    throw error;
  }
  return { workspaceId: invite.workspaceId, userId: user.id };
}
