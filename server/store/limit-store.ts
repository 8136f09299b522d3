import type { SqlParameter } from "@azure/cosmos";
import { CONTAINERS, type ContainerDefinition, type TCapLock, type TStreamLease, ZCapLock, ZStreamLease } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import { leaseRows } from "./lease-rows";
import type { Store } from "./store";

/**
 * The store side of the caps (server/services/limits/): counts of what a workspace or a person
 * has, cap locks, and event stream leases. Counts are `SELECT VALUE COUNT(1)` queries, so no
 * document is read to count it.
 */

async function count(store: Store, container: ContainerDefinition, where: string, parameters: SqlParameter[], partitionKey?: string): Promise<number> {
  const { resources } = await (await store.container(container)).items
    .query<number>({ query: `SELECT VALUE COUNT(1) FROM c${where ? ` WHERE ${where}` : ""}`, parameters }, { partitionKey })
    .fetchAll();
  // A cross-partition count comes back as one number per partition range on some servers: add them.
  return resources.reduce((sum, value) => sum + (typeof value === "number" ? value : 0), 0);
}

export function limitCounts(store: Store) {
  return {
    hosts: (workspaceId: string) => count(store, CONTAINERS.hosts, "", [], workspaceId),
    profiles: (workspaceId: string) => count(store, CONTAINERS.profiles, "", [], workspaceId),
    members: (workspaceId: string) => count(store, CONTAINERS.members, "", [], workspaceId),
    /** Tokens that still work: neither revoked nor expired. */
    activeApiTokens: (workspaceId: string, now: string) =>
      count(store, CONTAINERS.apiTokens, "c.workspaceId = @ws AND IS_NULL(c.revokedAt) AND c.expiresAt > @now", [
        { name: "@ws", value: workspaceId },
        { name: "@now", value: now },
      ]),
    /** Sandboxes starting or ready (failed and destroyed ones hold nothing). */
    runningSandboxes: (workspaceId: string) => count(store, CONTAINERS.sandboxes, "c.status = 'starting' OR c.status = 'ready'", [], workspaceId),
    workspacesCreatedBy: (userId: string) => count(store, CONTAINERS.workspaces, "c.createdBy = @user", [{ name: "@user", value: userId }]),
    /** Runs of this person, in any workspace, whose sandbox is coming up or whose turn is running. */
    activeRunsOf: (userId: string) =>
      count(store, CONTAINERS.runs, "c.startedBy.userId = @user AND (c.status = 'starting' OR c.status = 'running')", [{ name: "@user", value: userId }]),
  };
}

export function capLockStore(store: Store) {
  return leaseRows<TCapLock>(store, CONTAINERS.capLocks, (value) => ZCapLock.parse(value), (row) => row.id);
}

export function streamLeaseStore(store: Store) {
  const rows = leaseRows<TStreamLease>(store, CONTAINERS.streamLeases, (value) => ZStreamLease.parse(value), (row) => row.principal);
  const leases = new DocumentCollection(store, CONTAINERS.streamLeases, ZStreamLease, { exists: "That stream slot is taken.", changed: "That stream slot changed." });
  return {
    ...rows,
    /** Every slot row of a principal (live or lapsed), to report the soonest one to free up. */
    ofPrincipal: (principal: string) => leases.queryAll("SELECT * FROM c", [], { partitionKey: principal }),
  };
}
