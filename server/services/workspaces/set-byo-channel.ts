import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { auditedChange } from "../audit/append-audit-event";
import { assertByoEntitled } from "../hosts/byo-entitlement";

/**
 * Turns the workspace's bring-your-own channel on or off (seed: set up a BYO host). Until it is
 * on, no operator bundle is handed out and no install key is exchanged; turning it off refuses
 * new key exchanges at once.
 */
export async function setByoChannel({ store, actor, access, enabled }: { store: Store; actor: Actor; access: WorkspaceAccess; enabled: boolean }): Promise<void> {
  if (enabled) assertByoEntitled(access.workspace);
  const { etag, ...workspace } = access.workspace;
  if (workspace.byoChannelConfigured === enabled) return;
  const workspaces = workspaceStore(store);
  await auditedChange(
    store,
    {
      workspaceId: workspace.id,
      eventType: "workspace.byo_channel_changed",
      actor: auditActorOf(actor),
      target: { kind: "workspace", id: workspace.id, label: workspace.name },
      data: { enabled },
    },
    { container: "workspaces", partitionKey: workspace.id, id: workspace.id, landed: { field: "byoChannelConfigured", equals: enabled } },
    () => workspaces.replace({ ...workspace, byoChannelConfigured: enabled }, etag),
  );
}
