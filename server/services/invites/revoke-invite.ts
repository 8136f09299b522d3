import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { inviteStore } from "../../store/invite-store";
import type { Store } from "../../store/store";
import { auditOrUndo } from "../audit/append-audit-event";

/** Withdraws a pending invite: its link stops working at once and says it was withdrawn. */
export async function revokeInvite({ store, actor, access, inviteId }: { store: Store; actor: Actor; access: WorkspaceAccess; inviteId: string }): Promise<void> {
  const invites = inviteStore(store);
  const invite = await invites.findByInviteId(inviteId);
  if (!invite || invite.workspaceId !== access.workspace.id) throw notFound("Invite");
  if (invite.revokedAt || invite.usedAt) return;
  const { etag, ...open } = invite;
  const revoked = await invites.replace({ ...open, revokedAt: new Date().toISOString() }, etag);
  await auditOrUndo(
    store,
    {
      workspaceId: access.workspace.id,
      eventType: "member.invite_revoked",
      actor: auditActorOf(actor),
      target: { kind: "member", id: invite.inviteId, label: invite.email ?? invite.inviteId },
      data: { scopes: invite.scopes },
    },
    () => invites.replace(open, revoked.etag),
  );
}
