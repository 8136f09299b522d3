import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { normalizeScopes } from "@/prisma-free-schema";
import { AppError, notFound } from "../../errors";
import { inviteStore } from "../../store/invite-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";

/**
 * Withdraws a pending invite: its link stops working at once and says it was withdrawn. Same rule
 * as removing a member (assertCanRemove): only someone holding every scope the invite grants may
 * withdraw it, else a manager could undo an admin's grant they could not have made.
 */
export async function revokeInvite({ store, actor, access, inviteId }: { store: Store; actor: Actor; access: WorkspaceAccess; inviteId: string }): Promise<void> {
  const invites = inviteStore(store);
  const invite = await invites.findByInviteId(inviteId);
  if (!invite || invite.workspaceId !== access.workspace.id) throw notFound("Invite");
  const missing = normalizeScopes(invite.scopes).filter((scope) => !access.scopes.includes(scope));
  if (missing.length > 0) {
    throw new AppError("FORBIDDEN", `You cannot withdraw an invite granting scopes you do not hold: ${missing.join(", ")}.`, { field: "inviteId" });
  }
  if (invite.revokedAt || invite.usedAt) return;
  const { etag, ...open } = invite;
  const revokedAt = new Date().toISOString();
  await auditedChange(
    store,
    {
      workspaceId: access.workspace.id,
      eventType: "member.invite_revoked",
      actor: auditActorOf(actor),
      target: { kind: "member", id: invite.inviteId, label: invite.email ?? invite.inviteId },
      data: { scopes: invite.scopes },
    },
    { container: "invites", partitionKey: open.id, id: open.id, landed: { field: "revokedAt", equals: revokedAt } },
    () => invites.replace({ ...open, revokedAt }, etag),
  );
}
