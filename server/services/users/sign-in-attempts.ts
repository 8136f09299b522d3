import { createHash } from "node:crypto";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { signInAttemptStore } from "../../store/sign-in-attempt-store";
import type { Store } from "../../store/store";

export type SignInLimit = { allowed: true } | { allowed: false; retryAfterSeconds: number; by: "account" | "address" };

const counterId = (kind: "account" | "address", value: string) => createHash("sha256").update(`sign-in:${kind}:${value}`).digest("hex").slice(0, 40);

/** The counters a password sign-in for `email` from `address` is held to (no address: the account's alone). */
function countersOf(email: string, address: string | undefined) {
  const { perAccount, perAddress } = getEnv().auth.signInLimits;
  const counters: { by: "account" | "address"; id: string; max: number }[] = [{ by: "account", id: counterId("account", email.toLowerCase()), max: perAccount }];
  if (address) counters.push({ by: "address", id: counterId("address", address), max: perAddress });
  return counters;
}

/**
 * Whether another password try is allowed: refused once the account, or the address, has had its
 * allowance of failures in the current window, with how long until the window ends. Checked
 * before the password is, so a flood is refused even with the right password.
 */
export async function checkSignInAllowed(store: Store, email: string, address: string | undefined, now = Date.now()): Promise<SignInLimit> {
  const { windowSeconds } = getEnv().auth.signInLimits;
  const attempts = signInAttemptStore(store);
  for (const counter of countersOf(email, address)) {
    const current = await attempts.get(counter.id);
    if (!current) continue;
    const endsAt = Date.parse(current.windowStart) + windowSeconds * 1000;
    if (endsAt > now && current.failures >= counter.max) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)), by: counter.by };
    }
  }
  return { allowed: true };
}

/** Counts one failed try against the account and the address (read, then replace on the etag; retried on a race). */
export async function recordSignInFailure(store: Store, email: string, address: string | undefined, now = Date.now()): Promise<void> {
  const { windowSeconds } = getEnv().auth.signInLimits;
  const attempts = signInAttemptStore(store);
  for (const counter of countersOf(email, address)) {
    for (let race = 0; race < 8; race += 1) {
      const current = await attempts.get(counter.id);
      const fresh = !current || Date.parse(current.windowStart) + windowSeconds * 1000 <= now;
      const next = fresh
        ? { id: counter.id, windowStart: new Date(now).toISOString(), failures: 1, ttl: windowSeconds }
        : { ...current, failures: current.failures + 1, ttl: Math.max(1, Math.ceil((Date.parse(current.windowStart) + windowSeconds * 1000 - now) / 1000)) };
      try {
        if (!current) await attempts.create(next);
        else await attempts.replace({ id: next.id, windowStart: next.windowStart, failures: next.failures, ttl: next.ttl }, current.etag);
        break;
      } catch (error) {
        // Another failure was counted at the same moment: count again on top of it.
        if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
      }
    }
  }
}

/** A right password clears the account's count (never the address's: one good account does not launder a flood). */
export async function clearAccountFailures(store: Store, email: string): Promise<void> {
  await signInAttemptStore(store).delete(counterId("account", email.toLowerCase()));
}

export function retryMessage(limit: Extract<SignInLimit, { allowed: false }>): string {
  const minutes = Math.ceil(limit.retryAfterSeconds / 60);
  const when = limit.retryAfterSeconds < 90 ? `${limit.retryAfterSeconds} seconds` : `${minutes} minutes`;
  const what = limit.by === "account" ? "for this account" : "from your network address";
  return `Too many failed sign-in attempts ${what}. Try again in ${when}.`;
}
