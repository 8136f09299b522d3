import type { TRunEvent } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { RunEventFollower, type RunEventFollowerOptions } from "./run-event-follower";

/**
 * One open stream of a run's events as an async iterable of events, for a tRPC subscription
 * (which encodes each event itself): in seq order, each once, through the run's fan-out like an
 * SSE body (see RunEventFollower). It holds at most `bufferBytes` of events (counted by their SSE
 * frames) that the subscriber has not taken; past that it falls behind the live edge and catches
 * up from the store as the subscriber takes events, without holding up the run's other streams.
 * Closed, it yields nothing more; returning from the loop closes it. It is iterated once.
 */
export class RunEventFeed extends RunEventFollower implements AsyncIterable<TRunEvent> {
  private readonly queue: { events: readonly TRunEvent[]; bytes: number }[] = [];
  /** How many of the first queued chunk's events were taken. */
  private taken = 0;
  private queuedBytes = 0;
  private ended: { error?: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(options: RunEventFollowerOptions) {
    super(options);
    this.resume();
  }

  /**
   * The process is stopping: the subscription ends with UNAVAILABLE, which tRPC clients take as
   * "try again" (a plain end would tell them the stream is over for good).
   */
  override shutdown(): void {
    this.failed(new AppError("UNAVAILABLE", "This server is stopping; subscribe again."));
  }

  protected room(): number {
    return this.bufferBytes - this.queuedBytes;
  }

  protected put(events: readonly TRunEvent[], bytes: Uint8Array): void {
    if (events.length === 0) return;
    this.queue.push({ events, bytes: bytes.byteLength });
    this.queuedBytes += bytes.byteLength;
    this.notify();
  }

  /** Ended, the feed yields nothing more, not even what it holds: its subscriber left, or may no longer read the run. */
  protected end(error?: unknown): void {
    this.ended = { error };
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TRunEvent, void, undefined> {
    try {
      while (true) {
        const head = this.queue[0];
        if (head) {
          const event = head.events[this.taken]!;
          this.taken += 1;
          if (this.taken === head.events.length) {
            this.queue.shift();
            this.taken = 0;
            this.queuedBytes -= head.bytes;
            this.resume();
          }
          yield event;
          continue;
        }
        if (this.ended) {
          if (this.ended.error !== undefined) throw this.ended.error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.close();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
