import { log } from "../log";

/** What one pass over a key decided: it is done (its retries are forgotten), or it should be looked at again later. */
export type PassOutcome = { done: true } | { done: false; againInMs?: number };

export interface KeyedWorkQueueOptions {
  /** For logs. */
  name: string;
  /** One pass over a key: compare what the store wants with what is, act, say whether it is settled. A throw is retried with backoff. */
  reconcile(key: string, signal: AbortSignal): Promise<PassOutcome>;
  /** How many keys are worked on at once (never the same key twice). */
  workers?: number;
  /** The first retry's delay; each failure in a row doubles it, up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * A keyed work queue, the controller pattern's (client-go's workqueue): a key names a thing whose
 * wanted state is in the store (a run's turn start, say), and a pass over it brings the world to
 * it. A key is queued once however often it is added; one key is never worked on by two passes
 * at once (added while its pass runs, it gets one more pass after); a pass that throws or asks
 * again is retried with a backoff that doubles per failure in a row. The queue itself holds no
 * intent: it is only how this process gets round to the store's, and a periodic resync that adds
 * every key the store says is due is the backstop for whatever a queue lost (a restart, another
 * process's death). Passes in several processes may meet on a key: they settle it on the store's
 * etag, not here.
 */
export class KeyedWorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys added again while their pass ran: they go back in the queue when it ends. */
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  /** Callers of `add` waiting for the key to settle (a pass that ends done, or the queue shutting down). */
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly abort = new AbortController();
  private readonly passes = new Set<Promise<void>>();
  private busyWorkers = 0;
  private stopped = false;

  constructor(private readonly options: KeyedWorkQueueOptions) {}

  /** Queues `key` for a pass; resolves once a pass after this call has settled it. */
  add(key: string): Promise<void> {
    const settled = new Promise<void>((resolve) => {
      if (this.stopped) return resolve();
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
    });
    this.enqueue(key);
    return settled;
  }

  /** Queues `key` after `ms` (sooner if it is added meanwhile). */
  addAfter(key: string, ms: number): void {
    if (this.stopped || this.delayed.has(key)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.enqueue(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, timer);
  }

  /** How many keys wait or are being worked on (for tests and logs). */
  get depth(): number {
    return this.queued.size + this.processing.size + this.delayed.size;
  }

  /** Takes no more keys, tells the passes under way to stop, and waits up to `graceMs` for them. */
  async shutdown(graceMs = 2_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.ready.length = 0;
    this.queued.clear();
    this.abort.abort(new Error(`The ${this.options.name} queue is shutting down.`));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.passes]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const key of [...this.waiters.keys()]) this.settle(key);
  }

  private enqueue(key: string): void {
    if (this.stopped) return;
    const timer = this.delayed.get(key);
    if (timer) {
      clearTimeout(timer);
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  private pump(): void {
    const workers = this.options.workers ?? 4;
    while (!this.stopped && this.busyWorkers < workers && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.busyWorkers += 1;
      const pass = this.pass(key).finally(() => {
        this.passes.delete(pass);
        this.busyWorkers -= 1;
        this.processing.delete(key);
        if (this.dirty.delete(key)) this.enqueue(key);
        this.pump();
      });
      this.passes.add(pass);
    }
  }

  private async pass(key: string): Promise<void> {
    let outcome: PassOutcome;
    try {
      outcome = await this.options.reconcile(key, this.abort.signal);
    } catch (error) {
      if (this.stopped) return;
      log.warn("work_queue.pass_failed", { queue: this.options.name, item: key, error });
      outcome = { done: false };
    }
    if (outcome.done) {
      this.failures.delete(key);
      // Added again while this pass ran: the waiters wait for that next pass.
      if (!this.dirty.has(key)) this.settle(key);
      return;
    }
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const backoff = Math.min(this.options.maxBackoffMs ?? 30_000, (this.options.firstBackoffMs ?? 250) * 2 ** (failures - 1));
    this.addAfter(key, outcome.againInMs ?? backoff);
  }

  private settle(key: string): void {
    const waiting = this.waiters.get(key);
    this.waiters.delete(key);
    for (const resolve of waiting ?? []) resolve();
  }
}
