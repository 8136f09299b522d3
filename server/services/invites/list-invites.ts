import type { TInviteView } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { inviteStore } from "../../store/invite-store";
import type { Store } from "../../store/store";

/** The workspace's invites still waiting for someone (not used, withdrawn or expired). */
export async function listPendingInvites({ store, access }: { store: Store; access: WorkspaceAccess }): Promise<TInviteView[]> {
  const now = Date.now();
  return (await inviteStore(store).listForWorkspace(access.workspace.id))
    .filter((invite) => !invite.usedAt && !invite.revokedAt && Date.parse(invite.expiresAt) > now)
    .map((invite) => ({
      inviteId: invite.inviteId,
      email: invite.email,
      scopes: invite.scopes,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      createdBy: invite.createdBy.label,
    }));
}
