/**
 * A keyed work queue, as controllers use one: a key added many times is worked once; a key is
 * never worked by two workers at a time (one added while it is being worked runs again after);
 * a failed key is retried after `retryMs`; delayed adds keep the earliest time asked for.
 */
export class KeyedQueue {
  private readonly order: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly options: { concurrency: number; retryMs: number; onError: (key: string, error: unknown) => void },
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (!this.queued.has(key)) {
      this.queued.add(key);
      this.order.push(key);
    }
    this.pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.add(key);
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    this.timers.set(key, { at, timer });
  }

  /** Stops taking work, drops what waits, and resolves once the keys being worked are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.order.length = 0;
    this.queued.clear();
    if (this.active.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.options.concurrency && this.order.length > 0) {
      const key = this.order.shift()!;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.work(key);
    } catch (error) {
      this.options.onError(key, error);
      this.addAfter(key, this.options.retryMs);
    } finally {
      this.active.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
      if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
