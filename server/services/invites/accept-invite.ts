import type { Actor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import { joinWorkspace } from "./join-workspace";
import { assertInviteFor, claimInvite, openInvite } from "./open-invite";

/**
 * A signed-in person (local or Entra) accepts a workspace invite: they become a member, once. Only
 * the person it was made for: whoever else holds the link is refused and it stays unused.
 */
export async function acceptInvite({ store, actor, token }: { store: Store; actor: Actor; token: string }): Promise<{ workspaceId: string }> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "Sign in as a person to accept an invite; API tokens cannot.");
  const invite = await openInvite(store, token);
  if (!invite.workspaceId) {
    throw new AppError("BAD_REQUEST", "This link is for creating a new account, and you are already signed in. Sign out first to use it.", { reason: "invite_for_new_account" });
  }
  assertInviteFor(invite, actor.email, "sign in with that address");
  const claim = await claimInvite(store, invite, actor.userId);
  try {
    await joinWorkspace(store, invite, { id: actor.userId, email: actor.email, name: actor.name });
  } catch (error) {
    await claim.release();
    throw error;
  }
  return { workspaceId: invite.workspaceId };
}
