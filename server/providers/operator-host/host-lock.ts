/**
 * One thing at a time per Docker host, where order matters: a repair lists the sandboxes to keep
 * and then tells the operator to remove the rest, so a sandbox created between the two would be
 * removed as unknown. Repairs and creates on a host take this lock. In-process, as command
 * replies are (one platform replica; see PlatformChannel).
 */
const tails = new Map<string, Promise<unknown>>();

export async function withHostLock<T>(hostId: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(hostId) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  const tail = mine.catch(() => undefined);
  tails.set(hostId, tail);
  try {
    return await mine;
  } finally {
    if (tails.get(hostId) === tail) tails.delete(hostId);
  }
}
