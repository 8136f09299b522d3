import { performance } from "node:perf_hooks";
import type { TRunEvent } from "@/prisma-free-schema";
import { log } from "../../log";
import type { Store } from "../../store/store";
import type { RunEventBus } from "./run-event-bus";
import { joinFrames, runEventFrame } from "./run-event-frame";
import { streamRunEvents } from "./stream-run-events";

export interface FanoutTuning {
  /** Events per store read: the live source's, and a stream's own catch-up. */
  pageSize: number;
  /** How long a hole in the seqs is waited on (a replay under way) before it is stepped over. */
  gapWaitMs: number;
  /** Live events the run's source holds while it waits on a hole, before it reads the store instead. */
  holdCap: number;
  /** The newest frames kept, so a stream that fell a little behind rejoins without a store read. */
  ringEvents: number;
  ringBytes: number;
  /** The largest chunk written at once: a stream's buffer exceeds its cap by at most this (or one bigger frame). */
  chunkBytes: number;
  /**
   * With many streams a flush costs about the same for one event as for fifty (a write per
   * stream, through to its socket: on loopback about 15 µs each, most of it the system call), so
   * once a flush takes a millisecond or more the next one waits, taking whatever arrived
   * meanwhile, until the fan-out has spent at most `flushShare` of the thread since the last one
   * began, and never longer than `maxCoalesceMs`. A thousand streams at fifty events a second
   * thus cost a share of the thread, not all of it, for a little latency; a flush of a few streams
   * is cheap and goes out at the end of the same turn.
   */
  flushShare: number;
  maxCoalesceMs: number;
}

export const DEFAULT_FANOUT_TUNING: FanoutTuning = {
  pageSize: 500,
  gapWaitMs: 5000,
  holdCap: 10_000,
  ringEvents: 4096,
  ringBytes: 2 * 1024 * 1024,
  chunkBytes: 64 * 1024,
  flushShare: 0.5,
  maxCoalesceMs: 40,
};

/** Consecutive events of the run and their SSE frames joined: what the fan-out writes at once. */
export interface FanoutChunk {
  events: readonly TRunEvent[];
  bytes: Uint8Array;
}

/** What the fan-out asks of one open stream of the run (run-event-follower.ts). */
export interface FanoutMember {
  /** Whether the stream takes another chunk now: its buffered bytes are under its cap. */
  hasRoom(): boolean;
  write(chunk: FanoutChunk): void;
  /** It had no room: it is no longer written to, and catches up on its own from `cursor`. */
  detached(cursor: number): void;
  /** The live edge moved; a stream waiting ahead of it looks again. */
  edgeMoved(): void;
  /** The live source failed (the store did not answer): the stream ends with the error. */
  failed(error: unknown): void;
  /** The process is stopping: the stream ends so its client reconnects, elsewhere, from its cursor. */
  shutdown(): void;
}

interface RingEntry {
  event: TRunEvent;
  frame: Uint8Array;
}

/**
 * One run's live events, for every stream of the run open in this process: subscribed to the bus
 * once (through streamRunEvents, so holes are waited on and stepped over once per run, not once
 * per stream), each event encoded once, and what arrived in the same turn of the event loop
 * written as one shared chunk to every stream that is caught up ("attached"). A stream with no
 * room left is detached rather than waited for, and catches up by itself (ring, then store pages)
 * until it reaches the live edge again (run-event-follower.ts); the others never wait on it. A
 * stream takes the bytes (an SSE body) or the events (a tRPC subscription), whichever it sends.
 *
 * `edge` is the seq of the last event written to attached streams (every one of them has had
 * everything up to it); `floor` is the oldest cursor the ring can still serve. The source starts
 * only when a stream has read to the end of what is stored (`anchor`), so it never starts ahead
 * of the store.
 */
export class RunFanout {
  edge: number | undefined;
  floor = 0;
  private readonly ring: RingEntry[] = [];
  private ringSize = 0;
  private pending: TRunEvent[] = [];
  private flushScheduled = false;
  private lastFlushAt = 0;
  private lastFlushCost = 0;
  private readonly members = new Set<FanoutMember>();
  private readonly attached = new Set<FanoutMember>();
  private readonly waiting = new Set<FanoutMember>();
  private readonly stop = new AbortController();

  constructor(
    readonly store: Store,
    readonly runId: string,
    private readonly bus: RunEventBus,
    readonly tuning: FanoutTuning,
    private readonly onEmpty: () => void,
  ) {}

  join(member: FanoutMember): void {
    this.members.add(member);
  }

  leave(member: FanoutMember): void {
    this.members.delete(member);
    this.attached.delete(member);
    this.waiting.delete(member);
    if (this.members.size === 0) this.dispose();
  }

  /** Starts the live source after `cursor`, where a stream found the end of what is stored. */
  anchor(cursor: number): void {
    if (this.edge !== undefined || this.stop.signal.aborted) return;
    this.edge = cursor;
    this.floor = cursor;
    void this.follow(cursor);
  }

  /** `member` is at the edge: from now on every flush is written to it. */
  attach(member: FanoutMember): void {
    this.attached.add(member);
  }

  /** `member` is ahead of the edge (it read the store past it): told when the edge moves. */
  wait(member: FanoutMember): void {
    this.waiting.add(member);
  }

  /** The ring's events after `cursor` (floor ≤ cursor ≤ edge), up to about `maxBytes` of frames. */
  after(cursor: number, maxBytes: number): FanoutChunk & { lastSeq: number } {
    let low = 0;
    let high = this.ring.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ring[mid]!.event.seq <= cursor) low = mid + 1;
      else high = mid;
    }
    const events: TRunEvent[] = [];
    const frames: Uint8Array[] = [];
    let bytes = 0;
    for (let i = low; i < this.ring.length && (bytes === 0 || bytes + this.ring[i]!.frame.byteLength <= maxBytes); i += 1) {
      events.push(this.ring[i]!.event);
      frames.push(this.ring[i]!.frame);
      bytes += this.ring[i]!.frame.byteLength;
    }
    // Nothing after the cursor but the edge is further on: the seqs between were stepped over.
    const lastSeq = events.at(-1)?.seq ?? this.edge ?? cursor;
    return { events, bytes: joinFrames(frames), lastSeq };
  }

  /** Ends every stream of the run here (see endAllRunStreams); returns how many. */
  endStreams(): number {
    const members = [...this.members];
    for (const member of members) member.shutdown();
    return members.length;
  }

  stats(): { members: number; attached: number; waiting: number; edge: number | undefined; ringEvents: number } {
    return { members: this.members.size, attached: this.attached.size, waiting: this.waiting.size, edge: this.edge, ringEvents: this.ring.length };
  }

  private async follow(cursor: number): Promise<void> {
    const { store, runId, bus, tuning } = this;
    try {
      const events = streamRunEvents({ store, runId, afterSeq: cursor, signal: this.stop.signal, bus, queueCap: tuning.holdCap, pageSize: tuning.pageSize, gapWaitMs: tuning.gapWaitMs });
      for await (const event of events) {
        this.pending.push(event);
        if (!this.flushScheduled) this.scheduleFlush();
      }
    } catch (error) {
      log.error("run_events.fanout_failed", { runId, error });
      const members = [...this.members];
      this.dispose();
      for (const member of members) member.failed(error);
    }
  }

  private scheduleFlush(): void {
    this.flushScheduled = true;
    // At the end of this turn of the loop: a stored batch, published event by event, is one chunk.
    setImmediate(this.flushWhenDue);
  }

  /** Flushes now if the last flush was cheap or enough time has passed since it began (see `flushShare`); else when it has. */
  private readonly flushWhenDue = (): void => {
    if (this.stop.signal.aborted) return;
    const { flushShare, maxCoalesceMs } = this.tuning;
    const wait = this.lastFlushCost < 1 ? 0 : Math.min(maxCoalesceMs, this.lastFlushCost / flushShare) - (performance.now() - this.lastFlushAt);
    if (wait <= 0) this.flush();
    else setTimeout(this.flushWhenDue, wait);
  };

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const started = performance.now();
    this.lastFlushAt = started;
    // What the writes cost is paid in the ticks after this function (each stream's pipe to its
    // socket): measured at the next turn of the loop.
    setImmediate(() => {
      this.lastFlushCost = performance.now() - started;
    });
    const events = this.pending;
    this.pending = [];
    if (events.length === 0 || this.stop.signal.aborted) return;

    const chunks: FanoutChunk[] = [];
    let first = 0;
    let frames: Uint8Array[] = [];
    let bytes = 0;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      const frame = runEventFrame(event);
      this.ring.push({ event, frame });
      this.ringSize += frame.byteLength;
      frames.push(frame);
      bytes += frame.byteLength;
      if (bytes >= this.tuning.chunkBytes || i === events.length - 1) {
        chunks.push({ events: events.slice(first, i + 1), bytes: joinFrames(frames) });
        first = i + 1;
        frames = [];
        bytes = 0;
      }
    }
    const before = this.edge!;
    this.edge = events.at(-1)!.seq;
    while (this.ring.length > 1 && (this.ring.length > this.tuning.ringEvents || this.ringSize > this.tuning.ringBytes)) {
      const dropped = this.ring.shift()!;
      this.ringSize -= dropped.frame.byteLength;
      this.floor = dropped.event.seq;
    }

    for (const member of this.attached) {
      let cursor = before;
      for (const chunk of chunks) {
        if (!member.hasRoom()) {
          this.attached.delete(member);
          member.detached(cursor);
          break;
        }
        member.write(chunk);
        cursor = chunk.events.at(-1)!.seq;
      }
    }
    if (this.waiting.size > 0) {
      const waiting = [...this.waiting];
      this.waiting.clear();
      for (const member of waiting) member.edgeMoved();
    }
  };

  private dispose(): void {
    if (this.stop.signal.aborted) return;
    this.stop.abort();
    this.pending = [];
    this.ring.length = 0;
    this.onEmpty();
  }
}

const FANOUTS_KEY = Symbol.for("discoparrot.runFanouts");
const OPEN_KEY = Symbol.for("discoparrot.openRunFanouts");
type FanoutsHolder = { [FANOUTS_KEY]?: WeakMap<RunEventBus, WeakMap<Store, Map<string, RunFanout>>>; [OPEN_KEY]?: Set<RunFanout> };
/** Kept on globalThis, like the bus: Next.js may load this module in more than one bundle, and a run has one fan-out per process. */
const fanouts = ((globalThis as FanoutsHolder)[FANOUTS_KEY] ??= new WeakMap());
/** Every fan-out open in this process, to end their streams when it stops. */
const open = ((globalThis as FanoutsHolder)[OPEN_KEY] ??= new Set());

/**
 * Ends every run event stream open in this process (SSE and runs.events alike), as it stops:
 * each client sees its stream end and reconnects, to another process, from its cursor. Returns
 * how many were ended.
 */
export function endAllRunStreams(): number {
  let ended = 0;
  for (const fanout of [...open]) ended += fanout.endStreams();
  return ended;
}

/** The run's fan-out in this process, made on its first stream and dropped when its last one closes. */
export function runFanout(options: { store: Store; runId: string; bus: RunEventBus; tuning?: Partial<FanoutTuning> }): RunFanout {
  const { store, runId, bus } = options;
  let byStore = fanouts.get(bus);
  if (!byStore) fanouts.set(bus, (byStore = new WeakMap()));
  let runs = byStore.get(store);
  if (!runs) byStore.set(store, (runs = new Map()));
  const existing = runs.get(runId);
  if (existing) return existing;
  const made = new RunFanout(store, runId, bus, { ...DEFAULT_FANOUT_TUNING, ...options.tuning }, () => {
    if (runs.get(runId) === made) runs.delete(runId);
    open.delete(made);
  });
  runs.set(runId, made);
  open.add(made);
  return made;
}

/** The run's fan-out if a stream of it is open here (diagnostics and tests). */
export function openRunFanout(options: { store: Store; runId: string; bus: RunEventBus }): RunFanout | undefined {
  return fanouts.get(options.bus)?.get(options.store)?.get(options.runId);
}
