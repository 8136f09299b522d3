import { CONTAINERS, type TSandbox, ZSandbox } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function sandboxStore(store: Store) {
  const sandboxes = new DocumentCollection(store, CONTAINERS.sandboxes, ZSandbox, {
    exists: "A sandbox with this id already exists.",
    changed: "This sandbox was changed at the same time. Reload and try again.",
  });
  return {
    get: (workspaceId: string, sandboxId: string) => sandboxes.read(sandboxId, workspaceId),
    create: (sandbox: TSandbox) => sandboxes.create(sandbox),
    /** A sandbox by id alone, for the channel (a sidecar knows no workspace when it connects). */
    findById: (sandboxId: string) => sandboxes.findById(sandboxId),
    /** The person's live sandbox for a profile, if any (at most one is kept live). */
    liveFor: async (workspaceId: string, ownerId: string, profileId: string) =>
      (
        await sandboxes.queryAll(
          "SELECT * FROM c WHERE c.ownerId = @owner AND c.definition.profileId = @profile AND c.status != 'destroyed' ORDER BY c.createdAt DESC",
          [
            { name: "@owner", value: ownerId },
            { name: "@profile", value: profileId },
          ],
          { partitionKey: workspaceId },
        )
      )[0],
    /** A host's sandboxes that are not destroyed, for reconciling with its operator after a reconnect. */
    liveOnHost: (workspaceId: string, hostId: string) =>
      sandboxes.queryAll("SELECT * FROM c WHERE c.definition.hostId = @host AND c.status != 'destroyed'", [{ name: "@host", value: hostId }], { partitionKey: workspaceId }),
    /** Sandboxes waiting in a warm pool (no person yet, not destroyed), in every workspace. */
    warm: () => sandboxes.queryAll("SELECT * FROM c WHERE c.ownerId = null AND c.status != 'destroyed'", []),
    /** One profile's warm sandboxes that are ready to be claimed, oldest first. */
    warmReady: (workspaceId: string, profileId: string) =>
      sandboxes.queryAll("SELECT * FROM c WHERE c.ownerId = null AND c.status = 'ready' AND c.definition.profileId = @profile ORDER BY c.createdAt", [{ name: "@profile", value: profileId }], {
        partitionKey: workspaceId,
      }),
    /** Every sandbox not destroyed, in every workspace: token refresh and metering walk these. */
    listLive: () => sandboxes.queryAll("SELECT * FROM c WHERE c.status != 'destroyed'", []),
    /** Sandboxes (in any state) holding a meter claim a pass did not finish counting (meter-sandbox.ts). */
    listMeterPending: () => sandboxes.queryAll("SELECT * FROM c WHERE c.meterPending != null", []),
    /** Read-change-replace on the etag, again on a concurrent write (see DocumentCollection.update). */
    update: (workspaceId: string, sandboxId: string, change: (sandbox: TSandbox) => TSandbox | undefined) => sandboxes.update(sandboxId, workspaceId, change),
  };
}
