import { randomUUID } from "node:crypto";
import type { Actor } from "../../auth/actor";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { log } from "../../log";
import { streamLeaseStore } from "../../store/limit-store";
import type { Store } from "../../store/store";

/**
 * Open run event streams per principal (issue 10 item 5), counted in the store so every process
 * sharing it sees the same count: each open stream holds one of the principal's slots
 * (`<principal>~0` … `~<limit-1>`; Cosmos ids may not hold `#`), renews it every HEARTBEAT_MS and frees it when it ends. A
 * process that dies stops renewing; its slots are free again LEASE_MS after their last renewal
 * (and the rows themselves expire by TTL). Past the cap: 429 with Retry-After.
 */
export const LEASE_MS = 60_000;
export const HEARTBEAT_MS = 20_000;
/**
 * The longest Retry-After given: a slot frees the moment any of the principal's streams closes,
 * which may be long before the soonest one could lapse, so callers are told to look again soon.
 */
export const RETRY_AFTER_MAX_SECONDS = 10;

/** A person (`user:…`) or one of their API tokens (`token:…`): each token counts on its own. */
export function principalOf(actor: Actor): string {
  return actor.kind === "user" ? `user:${actor.userId}` : `token:${actor.tokenId}`;
}

export interface StreamLease {
  /** Frees the slot; safe to call more than once. */
  release(): Promise<void>;
}

export const STREAM_LIMIT_REACHED = "stream_limit_reached";

/** The refusal: TOO_MANY_REQUESTS with the seconds to wait, for the route or procedure to put in Retry-After. */
export class StreamLimitError extends AppError {
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      "TOO_MANY_REQUESTS",
      `You have ${limit} run event streams open, the most one person or token may have at once. Close a run's page or stream you no longer watch, or try again in ${retryAfterSeconds} s.`,
      { reason: STREAM_LIMIT_REACHED },
    );
  }
}

/**
 * Takes a free slot for a new stream of `principal` and keeps it renewed until `release` (or
 * until `signal` fires); throws StreamLimitError when every slot is held by a live stream.
 * `onLost` is called if the slot is taken over (this process stalled past LEASE_MS): the caller
 * ends the stream then, so the count stays true.
 */
export async function holdStreamLease(
  store: Store,
  options: { principal: string; runId: string; signal?: AbortSignal; onLost?: () => void; limit?: number; now?: () => number; heartbeatMs?: number },
): Promise<StreamLease> {
  const { principal, runId } = options;
  const now = options.now ?? Date.now;
  const limit = options.limit ?? getEnv().limits.eventStreamsPerPrincipal;
  const leases = streamLeaseStore(store);
  const holder = randomUUID();
  const row = (slot: number) => ({ id: `${principal}~${slot}`, principal, slot, holder, runId, expiresAt: new Date(now() + LEASE_MS).toISOString() });

  let taken: number | undefined;
  let soonest = Infinity;
  for (let slot = 0; slot < limit && taken === undefined; slot += 1) {
    if (await leases.tryCreate(row(slot))) taken = slot;
    else {
      const current = await leases.read(`${principal}~${slot}`, principal);
      if (!current) {
        if (await leases.tryCreate(row(slot))) taken = slot;
      } else if (Date.parse(current.expiresAt) <= now()) {
        if (await leases.tryReplace(row(slot), current.etag)) taken = slot;
      } else {
        soonest = Math.min(soonest, Date.parse(current.expiresAt));
      }
    }
  }
  if (taken === undefined) {
    const wait = Number.isFinite(soonest) ? Math.ceil((soonest - now()) / 1000) : LEASE_MS / 1000;
    throw new StreamLimitError(limit, Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(1, wait)));
  }

  const slot = taken;
  const id = `${principal}~${slot}`;
  let released = false;
  const heartbeat = setInterval(() => {
    void (async () => {
      const current = await leases.read(id, principal);
      if (released) return;
      if (!current || current.holder !== holder || !(await leases.tryReplace(row(slot), current.etag))) {
        log.warn("run_events.stream_lease_lost", { principal, runId, slot });
        await release();
        options.onLost?.();
      }
    })().catch((error: unknown) => log.warn("run_events.stream_lease_renew_failed", { principal, runId, error }));
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref?.();

  async function release(): Promise<void> {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onAbort);
    try {
      const current = await leases.read(id, principal);
      if (current?.holder === holder) await leases.deleteIfUnchanged(id, principal, current.etag);
    } catch (error) {
      // The slot lapses by itself after LEASE_MS.
      log.warn("run_events.stream_lease_release_failed", { principal, runId, error });
    }
  }
  const onAbort = () => void release();
  if (options.signal?.aborted) await release();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return { release };
}
