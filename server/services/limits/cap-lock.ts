import { randomUUID } from "node:crypto";
import { AppError } from "../../errors";
import { capLockStore } from "../../store/limit-store";
import type { Store } from "../../store/store";

/** Longer than any count-and-create takes; a holder that died frees the lock after this. */
const LOCK_MS = 15_000;
/** How long a caller waits for its turn before it is told to try again. */
const WAIT_MS = 10_000;

/**
 * Runs `work` holding the store lock `key`, so one request at a time counts a cap and creates
 * under it, in this process or any other sharing the store: twenty requests racing for the last
 * host place get one host, not twenty. A lock whose holder died is taken over once it lapses.
 */
export async function withCapLock<T>(store: Store, key: string, work: () => Promise<T>): Promise<T> {
  const locks = capLockStore(store);
  const holder = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
    const lock = { id: key, holder, expiresAt: new Date(Date.now() + LOCK_MS).toISOString() };
    if (await locks.tryCreate(lock)) break;
    const current = await locks.read(key, key);
    if (current && Date.parse(current.expiresAt) < Date.now() && (await locks.tryReplace(lock, current.etag))) break;
    if (Date.now() > deadline) throw new AppError("UNAVAILABLE", "Many changes of this kind are being made at once; try again in a moment.");
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
  }
  try {
    return await work();
  } finally {
    const mine = await locks.read(key, key).catch(() => undefined);
    if (mine?.holder === holder) await locks.deleteIfUnchanged(key, key, mine.etag).catch(() => undefined);
  }
}
