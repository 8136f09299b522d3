import { PRESENCE_TIMEOUT_SECONDS, type TCheckIn, type THostPresenceFields, type THostStatus } from "@/prisma-free-schema";
import { log } from "../../log";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";

/**
 * A host's presence, driven by the channel: the hub's connect / connected / disconnected events
 * and the operator's check-ins (seed: network and connectivity). Awaiting operator → Registered
 * on the first connection; Registered → Connection dropped on a disconnect or 45 s of silence;
 * back to Registered when it connects or checks in again. All of it is the host's presence
 * (ZHostPresence), kept apart from the host people edit.
 */

/**
 * Whether the operator of `hostId` may hold a connection: the host exists, has a current key,
 * and its workspace is entitled with its channel on. Returns the workspace to remember on the
 * connection, or undefined to refuse it.
 */
export async function admitOperator(store: Store, hostId: string): Promise<{ workspaceId: string } | undefined> {
  const host = await hostStore(store).findById(hostId);
  if (!host?.installKeyHash) return undefined;
  const workspace = await workspaceStore(store).get(host.workspaceId);
  if (!workspace?.plan.byoHosts || !workspace.byoChannelConfigured) return undefined;
  return { workspaceId: host.workspaceId };
}

export function recordOperatorConnected(store: Store, at: { workspaceId: string; hostId: string }, now = new Date()): Promise<THostPresenceFields | undefined> {
  return changePresence(store, at, (presence) => ({ ...presence, status: "registered", lastSeenAt: now.toISOString() }));
}

/**
 * A check-in, validated (ZCheckIn), as the host's presence. Its warm pools replace the last ones,
 * and a check-in without them clears them (an operator downgraded to one that cannot count
 * leaves no stale counts behind); they are stored as the operator said them, definition keys
 * and all, and matched to this workspace's own profiles only when the host page reads them.
 */
export function recordCheckIn(store: Store, at: { workspaceId: string; hostId: string }, checkIn: TCheckIn, now = new Date()): Promise<THostPresenceFields | undefined> {
  const seenAt = now.toISOString();
  return changePresence(store, at, () => ({
    status: "registered",
    lastSeenAt: seenAt,
    operatorVersion: checkIn.operatorVersion,
    health: checkIn.health,
    warmPools: checkIn.warmPools ? { reportedAt: seenAt, pools: checkIn.warmPools } : null,
  }));
}

/**
 * The hub says one connection of the host closed. Another may still be open (an operator that
 * reconnected before its old connection timed out), so ask before marking the host dropped.
 */
export async function recordOperatorDisconnected(
  store: Store,
  at: { workspaceId: string; hostId: string },
  stillConnected: () => Promise<boolean>,
): Promise<THostPresenceFields | undefined> {
  if (await stillConnected()) return undefined;
  return changePresence(store, at, (presence) => (presence.status === "registered" ? { ...presence, status: "disconnected" } : undefined));
}

/** Marks dropped every registered host that has not checked in for PRESENCE_TIMEOUT_SECONDS. */
export async function markSilentHostsDropped(store: Store, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - PRESENCE_TIMEOUT_SECONDS * 1000).toISOString();
  const silent = await hostStore(store).listSilent(cutoff);
  let dropped = 0;
  for (const host of silent) {
    const changed = await changePresence(store, { workspaceId: host.workspaceId, hostId: host.id }, (current) =>
      current.status === "registered" && current.lastSeenAt !== null && current.lastSeenAt < cutoff ? { ...current, status: "disconnected" } : undefined,
    );
    if (changed) dropped += 1;
  }
  return dropped;
}

/** Changes a host's presence (never the host people edit: see ZHostPresence), logging a change of status. */
async function changePresence(
  store: Store,
  at: { workspaceId: string; hostId: string },
  change: (presence: THostPresenceFields) => THostPresenceFields | undefined,
): Promise<THostPresenceFields | undefined> {
  const result = await hostStore(store).updatePresence(at.workspaceId, at.hostId, change);
  if (!result?.after) return undefined;
  if (result.after.status !== result.before.status) logTransition(at, result.before.status, result.after.status);
  return result.after;
}

function logTransition(at: { workspaceId: string; hostId: string }, from: THostStatus, to: THostStatus): void {
  log.info("host.presence_changed", { workspaceId: at.workspaceId, hostId: at.hostId, from, to });
}
