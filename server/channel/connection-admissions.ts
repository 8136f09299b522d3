import type { TChannelConnection } from "@/prisma-free-schema";
import { channelConnectionStore, channelEventIdStore } from "../store/channel-connection-store";
import type { Store } from "../store/store";
import { RecentCopies } from "../recent-copies";
import type { PlatformChannel } from "./platform-channel";

/**
 * The platform trusts the connections it admitted, not the headers of the events that claim to
 * come from them (see prisma-free-schema/channel-connection.ts for why). At `connect` the
 * connection is recorded as the hub user it was admitted as; after that an event is served only
 * when its connection was admitted, has not ended, is claimed by that same user, is one the hub
 * itself says it holds, and (unless its handler applies it idempotently: channel-events.ts) its
 * CloudEvent id was not seen before. All of it is in the store, so another process and a restart
 * decide the same way, in embedded and Azure modes alike; this process keeps a confirmed record
 * for a second (ADMISSION_TRUSTED_FOR_MS) as a cache of it.
 */

/**
 * How long a handled ce-id is remembered. The ce-id is not signed, so remembering it stops a
 * verbatim replay and makes a hub retry idempotent (the hub retries within seconds), but cannot
 * stop someone who changes it: what stops them is the admission record. A longer window would
 * only grow the store (one row per claiming event).
 */
export const EVENT_ID_WINDOW_SECONDS = 15 * 60;
/** How long an ended connection's record is kept, so its late or replayed events are told apart from unknown ones. */
export const ENDED_CONNECTION_KEPT_SECONDS = 24 * 3600;
/** A live connection's record expires this long after its last event (operators and sidecars check in every 15 s). */
export const CONNECTION_RECORD_TTL_SECONDS = 24 * 3600;
/** A live record is rewritten (pushing its expiry back) at most this often. */
const REFRESH_AFTER_MS = 3600 * 1000;

/**
 * A confirmed, open connection's record, as this process last read it, is trusted for this long
 * instead of read again for every event: a chatty sidecar sends hundreds of batches a second.
 * Nothing but its end changes what the record decides, and an end handled here forgets it at
 * once; an end handled by another process is seen here within this window. Only someone holding
 * a signature of that connection could send events in that second, and they could send the same
 * ones while it was open (docs/security.md, "Events of a connection that has just ended").
 */
export const ADMISSION_TRUSTED_FOR_MS = 1_000;
const trusted = new RecentCopies<TChannelConnection>(ADMISSION_TRUSTED_FOR_MS);

/** Trusts a confirmed, open record read at `readAt`; any other is not kept. */
function trust(connectionId: string, record: TChannelConnection, readAt: number): void {
  if (record.confirmedAt && !record.endedAt) trusted.keep(connectionId, record, readAt);
}

/** Records a connection admitted at `connect`; false when that connection id was admitted before (a replayed `connect`). */
export async function recordAdmission(store: Store, admitted: { connectionId: string; userId: string; workspaceId: string }): Promise<boolean> {
  const connections = channelConnectionStore(store);
  const now = new Date().toISOString();
  try {
    await connections.create({
      id: connections.documentId(admitted.connectionId),
      type: "channelConnection",
      ...admitted,
      admittedAt: now,
      confirmedAt: null,
      endedAt: null,
      refreshedAt: now,
      ttl: CONNECTION_RECORD_TTL_SECONDS,
    });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "CONFLICT") return false;
    throw error;
  }
}

export type Admission = { ok: true; connection: TChannelConnection } | { ok: false; why: string };

/**
 * Whether an event (other than `connect`) of `connectionId`, claiming `claimedUserId`, comes
 * from a connection this platform admitted as that user and that is still open. A `disconnected`
 * ends the record, but only once the hub confirms the connection is gone: a forged one must not
 * cut off a live operator.
 */
export async function checkAdmission(
  store: Store,
  hub: Pick<PlatformChannel, "connectionExists" | "closeConnection">,
  event: { connectionId: string; claimedUserId: string; disconnected: boolean },
  /** The record, when the caller already started reading it (beside claiming the event id: one round trip saved). */
  recordRead?: Promise<TChannelConnection | undefined>,
): Promise<Admission> {
  const connections = channelConnectionStore(store);
  const record = await (recordRead ?? connections.get(event.connectionId));
  if (!record) {
    // A live connection the platform has no record of (admitted before records existed, or quiet
    // past the record's expiry) is closed, so its client connects again and is admitted properly.
    if (!event.disconnected && (await hub.connectionExists(event.connectionId))) {
      await hub.closeConnection(event.connectionId, "The platform does not know this connection; connect again.");
      return { ok: false, why: "connection never admitted (the hub holds it: closed, so it connects again)" };
    }
    return { ok: false, why: "connection never admitted" };
  }
  if (record.endedAt) return { ok: false, why: "connection disconnected" };
  if (record.userId !== event.claimedUserId) return { ok: false, why: "claimed user is not the one the connection was admitted as" };

  const now = new Date();
  if (event.disconnected) {
    trusted.forget(event.connectionId);
    if (await hub.connectionExists(event.connectionId)) return { ok: false, why: "the hub still holds the connection" };
    const ended = await connections.update(event.connectionId, (current) => ({ ...current, endedAt: now.toISOString(), refreshedAt: now.toISOString(), ttl: ENDED_CONNECTION_KEPT_SECONDS }));
    return ended?.after ? { ok: true, connection: ended.after } : { ok: false, why: "connection disconnected" };
  }
  if (!record.confirmedAt) {
    // The first event after `connect`: a `connect` replayed for a connection id the hub does not hold stops here.
    if (!(await hub.connectionExists(event.connectionId))) return { ok: false, why: "the hub does not hold the connection" };
    const confirming = Date.now();
    const confirmed = await connections.update(event.connectionId, (current) =>
      current.endedAt ? undefined : { ...current, confirmedAt: current.confirmedAt ?? now.toISOString(), refreshedAt: now.toISOString() },
    );
    const after = confirmed?.after;
    if (after) trust(event.connectionId, after, confirming);
    return after ? { ok: true, connection: after } : { ok: false, why: "connection disconnected" };
  }
  if (now.getTime() - Date.parse(record.refreshedAt) > REFRESH_AFTER_MS) {
    const refreshing = Date.now();
    const refreshed = await connections.update(event.connectionId, (current) => (current.endedAt ? undefined : { ...current, refreshedAt: now.toISOString() }));
    if (!refreshed?.after) {
      trusted.forget(event.connectionId);
      return { ok: false, why: "connection disconnected" };
    }
    trust(event.connectionId, refreshed.after, refreshing);
    return { ok: true, connection: refreshed.after };
  }
  return { ok: true, connection: record };
}

/**
 * Reads a connection's record (see `checkAdmission`): a confirmed open one read in the last
 * second is not read again, and one read now is trusted from when its read began.
 */
export async function readAdmission(store: Store, connectionId: string): Promise<TChannelConnection | undefined> {
  const known = trusted.get(connectionId);
  if (known) return known;
  const readAt = Date.now();
  const record = await channelConnectionStore(store).get(connectionId);
  if (record) trust(connectionId, record, readAt);
  return record;
}

/** Claims (connection, ce-id); false when it was handled before. */
export function claimEventId(store: Store, connectionId: string, eventId: string): Promise<boolean> {
  return channelEventIdStore(store).claim(connectionId, eventId, EVENT_ID_WINDOW_SECONDS);
}

/** Gives the claim back after handling failed (a 500), so the hub's retry of the same event is served. */
export function releaseEventId(store: Store, connectionId: string, eventId: string): Promise<void> {
  return channelEventIdStore(store).release(connectionId, eventId);
}
