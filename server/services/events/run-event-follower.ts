import type { TRunEvent } from "@/prisma-free-schema";
import { log } from "../../log";
import type { Store } from "../../store/store";
import { listRunEvents } from "./list-run-events";
import { getRunEventBus, type RunEventBus } from "./run-event-bus";
import { joinFrames, runEventFrame } from "./run-event-frame";
import { type FanoutChunk, type FanoutMember, type FanoutTuning, runFanout, type RunFanout } from "./run-fanout";
import { streamRunEvents } from "./stream-run-events";

/** Bytes of SSE frames a stream may have buffered (not yet taken by its reader) before it is detached from the live edge. */
export const STREAM_BUFFER_BYTES = 256 * 1024;

export interface RunEventFollowerOptions {
  store: Store;
  runId: string;
  /** Events after this seq (0: from the start). */
  afterSeq: number;
  bus?: RunEventBus;
  /** Used by the run's fan-out if this stream is the one that makes it. */
  tuning?: Partial<FanoutTuning>;
  bufferBytes?: number;
}

type Mode = "catching-up" | "attached" | "waiting" | "alone" | "closed";

/**
 * One open stream of a run's events, in seq order, each once, whatever it is sent as (an SSE body,
 * run-event-body.ts; a tRPC subscription, run-event-feed.ts: the subclass says how events are put
 * out and how much room is left). Its buffer is counted in the bytes of the events' SSE frames,
 * and it is always in one of these modes:
 *  - attached: at the run's live edge; the fan-out writes the shared chunks into it;
 *  - catching-up: behind the edge (a new stream, or one detached for having no room): it puts out
 *    events from the fan-out's ring if its cursor is still there, else from store pages, only
 *    while the reader takes them, then attaches once at the edge (synchronously, so no flush falls between);
 *  - waiting: its cursor is past the edge (it read the store faster than the edge moved);
 *  - alone: its cursor names no stored event while the run has no live edge yet, so it must not
 *    start one there; it reads on its own, as every stream did before the fan-out.
 * Before the run has a live edge, a stream reads the store to its end (or to a hole in the seqs)
 * and starts the edge there; the fan-out's source reads the store again after that cursor, having
 * subscribed first, so nothing stored meanwhile is missed.
 */
export abstract class RunEventFollower implements FanoutMember {
  protected readonly fanout: RunFanout;
  protected readonly bufferBytes: number;
  private mode: Mode = "catching-up";
  private cursor: number;
  /** Whether `cursor` is 0 or a stored seq, so the live edge may start there. */
  private verified: boolean;
  private busy = false;
  private alone: AsyncGenerator<TRunEvent, void, undefined> | undefined;
  private readonly stop = new AbortController();

  constructor(private readonly options: RunEventFollowerOptions) {
    const bus = options.bus ?? getRunEventBus();
    this.fanout = runFanout({ store: options.store, runId: options.runId, bus, tuning: options.tuning });
    this.bufferBytes = options.bufferBytes ?? STREAM_BUFFER_BYTES;
    this.cursor = Math.max(0, options.afterSeq);
    this.verified = this.cursor === 0;
    this.fanout.join(this);
  }

  /** Bytes of frames the output still takes before it is full. */
  protected abstract room(): number;
  /** Puts out `events` (consecutive, after everything put out before); `bytes` are their SSE frames joined. */
  protected abstract put(events: readonly TRunEvent[], bytes: Uint8Array): void;
  /** The output ends: closed after what it holds (no error), or failed. */
  protected abstract end(error?: unknown): void;

  get closed(): boolean {
    return this.mode === "closed";
  }

  /** Ends the stream: what is buffered is still delivered, then the output closes. */
  close(): void {
    if (this.mode === "closed") return;
    this.mode = "closed";
    this.stop.abort();
    this.fanout.leave(this);
    this.end();
  }

  /** The process is stopping: an SSE body just ends (EventSource reconnects with its last id); see RunEventFeed for a subscription. */
  shutdown(): void {
    this.close();
  }

  hasRoom(): boolean {
    return this.mode !== "closed" && this.room() > 0;
  }

  write(chunk: FanoutChunk): void {
    if (this.mode !== "closed") this.put(chunk.events, chunk.bytes);
  }

  detached(cursor: number): void {
    if (this.mode !== "attached") return;
    this.mode = "catching-up";
    this.cursor = cursor;
  }

  edgeMoved(): void {
    if (this.mode !== "waiting") return;
    this.mode = "catching-up";
    void this.catchUp();
  }

  failed(error: unknown): void {
    if (this.mode === "closed") return;
    this.mode = "closed";
    this.stop.abort();
    this.fanout.leave(this);
    this.end(error);
  }

  /** The reader took something and there may be room again: a stream behind the edge goes on. */
  protected resume(): void {
    if (this.mode === "catching-up") void this.catchUp();
    else if (this.mode === "alone") void this.readAlone();
  }

  /**
   * Puts out `events` (in seq order, all after the cursor) in chunks while the stream has room;
   * the cursor follows. Returns how many were put out: the rest of a store page is dropped, and
   * read again when the reader has taken what it has, so a page never sits in a slow stream's buffer.
   */
  private putEvents(events: TRunEvent[]): number {
    const { chunkBytes } = this.fanout.tuning;
    let first = 0;
    let frames: Uint8Array[] = [];
    let bytes = 0;
    for (let i = 0; i < events.length; i += 1) {
      const frame = runEventFrame(events[i]!);
      frames.push(frame);
      bytes += frame.byteLength;
      if (bytes >= chunkBytes || i === events.length - 1) {
        this.put(events.slice(first, i + 1), joinFrames(frames));
        this.cursor = events[i]!.seq;
        first = i + 1;
        frames = [];
        bytes = 0;
        if (!this.hasRoom()) break;
      }
    }
    return first;
  }

  private async catchUp(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const { fanout } = this;
    const { store, runId } = this.options;
    const { pageSize, chunkBytes } = fanout.tuning;
    try {
      while (this.mode === "catching-up" && this.hasRoom()) {
        const edge = fanout.edge;
        if (edge !== undefined) {
          if (this.cursor === edge) {
            this.mode = "attached";
            fanout.attach(this);
            return;
          }
          if (this.cursor > edge) {
            this.mode = "waiting";
            fanout.wait(this);
            return;
          }
          if (this.cursor >= fanout.floor) {
            const { events, bytes, lastSeq } = fanout.after(this.cursor, chunkBytes);
            if (events.length > 0) this.put(events, bytes);
            this.cursor = lastSeq;
            continue;
          }
          // Behind the ring: a page from the store, up to the edge as it was when the read began
          // (everything up to it was stored before). Holes below the edge were waited on already.
          const page = await listRunEvents({ store, runId, afterSeq: this.cursor, limit: pageSize });
          if (this.mode !== "catching-up") return;
          const upToEdge = page.filter((event) => event.seq > this.cursor && event.seq <= edge);
          if (this.putEvents(upToEdge) < upToEdge.length) continue;
          if (page.length < pageSize || page.at(-1)!.seq >= edge) this.cursor = Math.max(this.cursor, edge);
          continue;
        }

        // No live edge yet: read the store to its end (or to a hole), and start the edge there.
        // The first read starts one before the cursor, to see that the cursor names a stored event.
        let page = await listRunEvents({ store, runId, afterSeq: this.verified ? this.cursor : this.cursor - 1, limit: pageSize });
        if (this.mode !== "catching-up") return;
        const full = page.length === pageSize;
        if (!this.verified) {
          if (page[0]?.seq !== this.cursor && fanout.edge === undefined) {
            this.mode = "alone";
            return;
          }
          this.verified = true;
          page = page.filter((event) => event.seq > this.cursor);
        }
        let contiguous = 0;
        while (contiguous < page.length && page[contiguous]!.seq === this.cursor + 1 + contiguous) contiguous += 1;
        if (this.putEvents(page.slice(0, contiguous)) < contiguous) continue;
        if (full && contiguous === page.length) continue;
        // A short page (the end of what is stored) or a hole: the live edge starts here, unless
        // another stream started it meanwhile (the loop then catches up to it).
        fanout.anchor(this.cursor);
      }
    } catch (error) {
      log.error("run_events.stream_failed", { runId, error });
      this.failed(error);
    } finally {
      this.busy = false;
      if (this.mode === "alone") void this.readAlone();
    }
  }

  /** The stream on its own (see `alone` above), pulled as its reader takes events. */
  private async readAlone(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const { store, runId } = this.options;
    const { pageSize, gapWaitMs, holdCap } = this.fanout.tuning;
    // Its own subscription holds live events for it alone: a thousand at most, then it reads the store.
    this.alone ??= streamRunEvents({ store, runId, afterSeq: this.cursor, signal: this.stop.signal, bus: this.options.bus, queueCap: Math.min(holdCap, 1000), pageSize, gapWaitMs });
    try {
      while (this.mode === "alone" && this.hasRoom()) {
        const next = await this.alone.next();
        if (next.done) return;
        this.putEvents([next.value]);
      }
    } catch (error) {
      log.error("run_events.stream_failed", { runId, error });
      this.failed(error);
    } finally {
      this.busy = false;
    }
  }
}
