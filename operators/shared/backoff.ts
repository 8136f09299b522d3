/**
 * Reconnection delays: a quarter of a second at first (a platform deploy is usually over in a
 * moment), doubling per failed attempt up to a few seconds, each with ±20% jitter so a fleet of
 * operators does not come back in lockstep after the platform restarts. `reset()` after a
 * healthy connection, so the next outage starts short again.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Injectable for tests; returns [0, 1). */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 5_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts as one more failure. */
  next(): number {
    // Capped before jitter as well as after, so the exponent cannot overflow to Infinity.
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(Math.min(this.maxMs, base * (0.8 + 0.4 * this.random())));
  }

  reset(): void {
    this.attempt = 0;
  }
}
