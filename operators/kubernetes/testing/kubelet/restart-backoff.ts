/**
 * The kubelet's back-off for image pulls and container restarts (client-go's flowcontrol.Backoff
 * as the kubelet uses it): the first failure is retried at once, each later one waits twice as
 * long as the last, up to a cap; an entry idle for twice the cap starts over. Kubernetes waits 10 s
 * at first and at most 5 min; tests pass a shorter base (the cap is 30 times the base).
 */
export class Backoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number = baseMs * 30,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure at `at` and returns the delay now in force for `key`. */
  next(key: string, at = this.now()): number {
    const entry = this.entries.get(key);
    const delayMs = !entry || this.expired(entry) ? this.baseMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: at });
    return delayMs;
  }

  /** When `key` is backing off from an event at `since`, the time it may try again; else undefined. */
  retryAt(key: string, since: number): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry)) return undefined;
    const at = since + entry.delayMs;
    return this.now() < at ? at : undefined;
  }

  /** The delay in force for `key` (for messages), or the base. */
  delayOf(key: string): number {
    return this.entries.get(key)?.delayMs ?? this.baseMs;
  }

  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: { lastUpdate: number }): boolean {
    return this.now() - entry.lastUpdate > 2 * this.maxMs;
  }
}

/** A delay as Go prints a duration in kubelet messages (`10s`, `1m20s`, `500ms`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes}m${rest}s` : `${minutes}m0s`;
}
