import { createHash } from "node:crypto";
import { AppError } from "../../errors";
import { keyAttemptStore } from "../../store/key-attempt-store";
import type { Store } from "../../store/store";

export const ATTEMPTS_PER_MINUTE = 5;
const WINDOW_MS = 60_000;

/**
 * Counts one exchange attempt with `presented` and says whether it may proceed: at most five a
 * minute per key, right or wrong, counted in the store so a restart resets nothing. The counter
 * is keyed by a digest of what was presented (never the key) and expires with its window.
 */
export async function countKeyAttempt(store: Store, presented: string, now = Date.now()): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const id = createHash("sha256").update(`key-attempt:${presented}`).digest("hex").slice(0, 40);
  const attempts = keyAttemptStore(store);
  for (let race = 0; race < 8; race += 1) {
    const current = await attempts.get(id);
    const elapsed = current ? now - Date.parse(current.windowStart) : WINDOW_MS;
    try {
      if (!current) {
        await attempts.create({ id, windowStart: new Date(now).toISOString(), count: 1 });
        return { allowed: true };
      }
      if (elapsed >= WINDOW_MS) {
        await attempts.replace({ id, windowStart: new Date(now).toISOString(), count: 1 }, current.etag);
        return { allowed: true };
      }
      if (current.count >= ATTEMPTS_PER_MINUTE) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((WINDOW_MS - elapsed) / 1000)) };
      await attempts.replace({ id, windowStart: current.windowStart, count: current.count + 1 }, current.etag);
      return { allowed: true };
    } catch (error) {
      // Another attempt with the same key was counted at the same moment: count again on top of it.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    }
  }
  return { allowed: false, retryAfterSeconds: 1 };
}
