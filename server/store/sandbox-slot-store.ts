import { CONTAINERS, sandboxSlotId, type TSandboxSlot, ZSandboxSlot } from "@/prisma-free-schema";
import { leaseRows } from "./lease-rows";
import type { Store } from "./store";

/** People's sandbox slots (ZSandboxSlot): read, created only when absent, replaced only as read (etag). */
export function sandboxSlotStore(store: Store) {
  const rows = leaseRows<TSandboxSlot>(store, CONTAINERS.sandboxSlots, (value) => ZSandboxSlot.parse(value), (row) => row.workspaceId);
  return {
    get: (workspaceId: string, ownerId: string, profileId: string, runId?: string) => rows.read(sandboxSlotId(ownerId, profileId, runId), workspaceId),
    tryCreate: rows.tryCreate,
    tryReplace: rows.tryReplace,
  };
}
