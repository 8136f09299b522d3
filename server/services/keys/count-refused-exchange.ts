import { createHash } from "node:crypto";
import { AppError } from "../../errors";
import { type KeyAttempts, keyAttemptStore } from "../../store/key-attempt-store";
import type { Store } from "../../store/store";

const WINDOW_MS = 60_000;
/**
 * Counters are kept per bucket, not per key or host id: 12 bits of a digest, so however many
 * made-up keys and host ids an attacker sprays, at most 4,096 counters of each kind exist, each
 * expiring two minutes after its last write (the container's TTL). Two keys sharing a bucket only
 * ever throttle each other's wrong attempts: the right key is never counted nor refused.
 */
const BUCKET_HEX_DIGITS = 3;

export interface RefusalLimits {
  perKey: number;
  perHost: number;
}

function bucket(kind: "key" | "host", value: string): string {
  return `${kind}:${createHash("sha256").update(`${kind}-refusals:${value}`).digest("hex").slice(0, BUCKET_HEX_DIGITS)}`;
}

/**
 * Counts one refused key exchange against the presented key and the named host, and says
 * whether either has now had more refusals this minute than it may: then the caller answers
 * 429 with `retryAfterSeconds` instead of 401. Only refusals count, so an operator presenting
 * its right key — however often it restarts — is never throttled, and a flood of wrong keys
 * naming a host cannot lock that host's operator out (its key is checked before this runs).
 */
/** How far another process's clock may run ahead before its window is taken for a wrong one and started afresh. */
const CLOCK_SKEW_MS = 5_000;

export async function countRefusedExchange(
  store: Store,
  presented: { key: string; hostId: string },
  limits: RefusalLimits,
  now = Date.now(),
): Promise<{ throttled: false } | { throttled: true; retryAfterSeconds: number }> {
  const [key, host] = await Promise.all([
    countIn(store, bucket("key", presented.key), limits.perKey, now),
    countIn(store, bucket("host", presented.hostId), limits.perHost, now),
  ]);
  const waits = [key, host].filter((result): result is number => result !== undefined);
  return waits.length === 0 ? { throttled: false } : { throttled: true, retryAfterSeconds: Math.max(...waits) };
}

/** Adds one refusal to the bucket's window; the seconds to wait when the bucket was already full, else undefined. */
async function countIn(store: Store, id: string, limit: number, now: number): Promise<number | undefined> {
  const attempts = keyAttemptStore(store);
  for (let race = 0; race < 8; race += 1) {
    const current = await attempts.get(id);
    const fresh: KeyAttempts = { id, windowStart: new Date(now).toISOString(), count: 1 };
    try {
      if (!current) {
        await attempts.create(fresh);
        return undefined;
      }
      // A window that starts a moment after `now` (a refusal counted first by a process whose
      // clock runs a little ahead, or one that took its time before counting) is the current one.
      const sinceStart = now - Date.parse(current.windowStart);
      const elapsed = Math.max(0, sinceStart);
      if (elapsed >= WINDOW_MS || sinceStart < -CLOCK_SKEW_MS) {
        await attempts.replace(fresh, current.etag);
        return undefined;
      }
      // Full: nothing more is written, so a flood costs reads, not writes.
      if (current.count >= limit) return Math.max(1, Math.ceil((WINDOW_MS - elapsed) / 1000));
      await attempts.replace({ id, windowStart: current.windowStart, count: current.count + 1 }, current.etag);
      return undefined;
    } catch (error) {
      // Another refusal in the same bucket was counted at the same moment: count again on top of it.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    }
  }
  return 1;
}
