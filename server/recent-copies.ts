/**
 * Copies of store documents this process read a moment ago, each trusted for `forMs` from when
 * its read began, so a hot path (a chatty sidecar's hundreds of batches a second) does not read
 * the same document for every event. A cache, never the truth: what it holds was in the store,
 * and a caller that must not act on an old copy reads afresh. Bounded, oldest forgotten first.
 *
 * With `forMs` infinite it keeps facts that never change once true (a run's workspace).
 *
 * `forget` also holds off copies whose read began before it: a read that started before, say, a
 * connection was ended here and finishes after cannot bring the old copy back.
 */
export class RecentCopies<V> {
  private readonly copies = new Map<string, { value: V; readAt: number }>();
  private readonly forgottenAt = new Map<string, number>();

  constructor(
    private readonly forMs: number,
    private readonly max = 10_000,
  ) {}

  /** The copy of `key`, if its read began less than `forMs` ago. */
  get(key: string, now = Date.now()): V | undefined {
    const copy = this.copies.get(key);
    return copy && now - copy.readAt < this.forMs ? copy.value : undefined;
  }

  /** Keeps `value` as read at `readAt` (when the read began), unless a newer copy is kept or `key` was forgotten since. */
  keep(key: string, value: V, readAt: number): void {
    if ((this.forgottenAt.get(key) ?? -Infinity) >= readAt) return;
    const kept = this.copies.get(key);
    if (kept && kept.readAt > readAt) return;
    this.copies.delete(key);
    this.copies.set(key, { value, readAt });
    trim(this.copies, this.max);
  }

  /** Drops the copy of `key`, and any whose read began before now. */
  forget(key: string, now = Date.now()): void {
    this.copies.delete(key);
    this.forgottenAt.delete(key);
    this.forgottenAt.set(key, now);
    trim(this.forgottenAt, this.max);
  }
}

function trim(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value!);
}
