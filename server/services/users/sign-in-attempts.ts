import { createHash } from "node:crypto";
import { addressBucketOf } from "../../auth/client-address";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { signInAttemptStore } from "../../store/sign-in-attempt-store";
import type { Store } from "../../store/store";

type Refused = { allowed: false; retryAfterSeconds: number; by: "account" | "address" };
type Counted = { id: string; windowStart: string };
/** A password try: refused, or counted (on which counters, in which windows: what a success gives back). */
export type SignInAttempt = { allowed: true; pair: Counted; address: Counted | undefined } | Refused;

/**
 * Under a concurrent flood each try loses at most one race per try that came before it; past
 * this many it is refused rather than let through uncounted (the count is never dropped).
 */
const MAX_RACES = 200;

const counterId = (kind: "pair" | "address", value: string) => createHash("sha256").update(`sign-in:${kind}:${value}`).digest("hex").slice(0, 40);

/**
 * The counters a password try for `email` from `address` is held to: the account from this
 * address (SIGNIN_MAX_FAILURES_PER_ACCOUNT), and this address across accounts
 * (SIGNIN_MAX_FAILURES_PER_ADDRESS). IPv6 counts by /64. There is no counter of the account
 * alone, so nobody elsewhere can lock its owner out. Ids are digests: bounded, and never the email
 * or address itself. Without an address (a proxy setting that yields none), tries of one
 * account share one "unknown address" counter.
 */
function countersOf(email: string, address: string | undefined) {
  const { perAccount, perAddress } = getEnv().auth.signInLimits;
  const bucket = address ? addressBucketOf(address) : "unknown";
  return {
    pair: { id: counterId("pair", `${email.toLowerCase()}\n${bucket}`), max: perAccount },
    address: address ? { id: counterId("address", bucket), max: perAddress } : undefined,
  };
}

/**
 * Counts one password try, before the password is hashed: refused (nothing hashed) when this
 * address has had its allowance of tries at this account, or at all accounts, in the current
 * window, with how long until the window ends. Counting is an increment on the counter's etag,
 * so concurrent tries each take one unit and no more pass than the limit. A try that turns out
 * right gives its count back (`signInSucceeded`).
 */
export async function countSignInAttempt(store: Store, email: string, address: string | undefined, now = Date.now()): Promise<SignInAttempt> {
  const counters = countersOf(email, address);
  // The address first: once it is full, a spray over many accounts writes nothing more.
  let addressCount: Counted | undefined;
  if (counters.address) {
    const result = await countIn(store, counters.address.id, counters.address.max, now);
    if ("retryAfterSeconds" in result) return { allowed: false, retryAfterSeconds: result.retryAfterSeconds, by: "address" };
    addressCount = result;
  }
  const pair = await countIn(store, counters.pair.id, counters.pair.max, now);
  if ("retryAfterSeconds" in pair) return { allowed: false, retryAfterSeconds: pair.retryAfterSeconds, by: "account" };
  return { allowed: true, pair, address: addressCount };
}

/** Adds one to the counter's window, or says how long to wait when it was already at `max`. */
async function countIn(store: Store, id: string, max: number, now: number): Promise<Counted | { retryAfterSeconds: number }> {
  const windowMs = getEnv().auth.signInLimits.windowSeconds * 1000;
  const attempts = signInAttemptStore(store);
  for (let race = 0; race < MAX_RACES; race += 1) {
    const current = await attempts.get(id);
    try {
      const started = current ? Date.parse(current.windowStart) : NaN;
      if (!current || started + windowMs <= now || started > now + windowMs) {
        const windowStart = new Date(now).toISOString();
        const fresh = { id, windowStart, failures: 1, ttl: Math.ceil(windowMs / 1000) };
        if (current) await attempts.replace(fresh, current.etag);
        else await attempts.create(fresh);
        return { id, windowStart };
      }
      const left = Math.max(1, Math.ceil((started + windowMs - now) / 1000));
      // Full: refused without a write, so a flood costs reads, not writes.
      if (current.failures >= max) return { retryAfterSeconds: left };
      await attempts.replace({ id, windowStart: current.windowStart, failures: current.failures + 1, ttl: left }, current.etag);
      return { id, windowStart: current.windowStart };
    } catch (error) {
      // Another try was counted at the same moment: count again on top of it.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    }
  }
  return { retryAfterSeconds: 1 };
}

/**
 * The right password: this account's counter from this address is cleared, and the try is taken
 * off the address's count (so people signing in behind one shared address do not use it up).
 * Never the whole address counter: one good account does not launder a flood.
 */
export async function signInSucceeded(store: Store, attempt: Extract<SignInAttempt, { allowed: true }>): Promise<void> {
  const attempts = signInAttemptStore(store);
  await attempts.delete(attempt.pair.id);
  const counted = attempt.address;
  if (!counted) return;
  await attempts
    .update(counted.id, (current) => (current.windowStart === counted.windowStart && current.failures > 0 ? { ...current, failures: current.failures - 1 } : undefined))
    // Losing every race only leaves the address counted stricter than it need be.
    .catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    });
}

export function retryMessage(limit: Refused): string {
  const minutes = Math.ceil(limit.retryAfterSeconds / 60);
  const when = limit.retryAfterSeconds < 90 ? `${limit.retryAfterSeconds} seconds` : `${minutes} minutes`;
  // Exact wording matters: the sign-in page shows only messages matching its allowlist (app/signin/_components/sign-in-error-message.ts).
  const what = limit.by === "account" ? "for this account" : "from your network address";
  return `Too many failed sign-in attempts ${what}. Try again in ${when}.`;
}
