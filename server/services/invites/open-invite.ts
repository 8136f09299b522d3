import type { TInvite, TInviteSummary } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { WithEtag } from "../../store/documents";
import { inviteStore } from "../../store/invite-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { hashInviteToken } from "./invite-token";

const day = (iso: string) => new Date(iso).toUTCString().replace(/:\d\d GMT$/, " UTC");

/**
 * The invite a link's token opens, if it can still be used; otherwise an error that says which:
 * not a link we issued, withdrawn, already used, or expired (and when).
 */
export async function openInvite(store: Store, token: string, now = Date.now()): Promise<WithEtag<TInvite>> {
  const invite = await inviteStore(store).get(hashInviteToken(token));
  if (!invite) throw new AppError("NOT_FOUND", "This invite link is not valid. Check that you copied all of it, or ask for a new one.", { reason: "invite_unknown" });
  if (invite.revokedAt) throw new AppError("PRECONDITION_FAILED", "This invite link was withdrawn. Ask whoever invited you for a new one.", { reason: "invite_revoked" });
  if (invite.usedAt) throw new AppError("PRECONDITION_FAILED", "This invite link was already used. Each link works once; ask whoever invited you for a new one.", { reason: "invite_used" });
  if (Date.parse(invite.expiresAt) <= now) {
    throw new AppError("PRECONDITION_FAILED", `This invite link expired on ${day(invite.expiresAt)}. Ask whoever invited you for a new one.`, { reason: "invite_expired" });
  }
  return invite;
}

/** What the invite page shows before anyone accepts: where it leads and with which scopes. */
export async function describeInvite(store: Store, token: string): Promise<TInviteSummary> {
  const invite = await openInvite(store, token);
  const workspace = invite.workspaceId ? await workspaceStore(store).get(invite.workspaceId) : undefined;
  if (invite.workspaceId && !workspace) throw new AppError("NOT_FOUND", "The workspace this link invites you to no longer exists.", { reason: "invite_unknown" });
  return { workspaceName: workspace?.name ?? null, email: invite.email, scopes: invite.scopes, expiresAt: invite.expiresAt };
}

/**
 * An invite made for an email works only for that email (compared case-insensitively): holding
 * the link is not enough, so a forwarded or leaked link cannot bring in someone else, nor a new
 * local account claim ceo@corp. `how` says what the person should do instead.
 */
export function assertInviteFor(invite: TInvite, email: string, how: string): void {
  if (invite.email && invite.email.toLowerCase() !== email.trim().toLowerCase()) {
    throw new AppError("FORBIDDEN", `This link was made for ${invite.email}; ${how} or ask for a link for yours.`, { reason: "invite_for_other_email", field: "email" });
  }
}

/**
 * Marks the invite used by `userId`, on the etag it was read with: of two people opening the same
 * link at once, one wins and the other is told it was already used. Returns how to give it back
 * if what follows fails.
 */
export async function claimInvite(store: Store, invite: WithEtag<TInvite>, userId: string): Promise<{ release: () => Promise<void> }> {
  const invites = inviteStore(store);
  const { etag, ...open } = invite;
  let claimed;
  try {
    claimed = await invites.replace({ ...open, usedAt: new Date().toISOString(), usedBy: userId as TInvite["usedBy"] }, etag);
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") {
      throw new AppError("PRECONDITION_FAILED", "This invite link was already used. Each link works once; ask whoever invited you for a new one.", { reason: "invite_used" });
    }
    throw error;
  }
  return { release: async () => void (await invites.replace(open, claimed.etag).catch(() => undefined)) };
}
