import type { TRunEvent } from "@/prisma-free-schema";
import { log } from "../../log";
import type { Store } from "../../store/store";
import { listRunEvents } from "./list-run-events";
import { getRunEventBus, type RunEventBus } from "./run-event-bus";

export interface StreamRunEventsOptions {
  store: Store;
  runId: string;
  /** Yield events after this seq (0: from the start). */
  afterSeq: number;
  /** The stream ends when this fires; the caller aborts it when its client goes away. */
  signal: AbortSignal;
  bus?: RunEventBus;
  /** Live events held for a slow reader before it is sent back to reading the store. */
  queueCap?: number;
  pageSize?: number;
  /** How long a hole in the seqs is waited on (a replay under way) before it is stepped over. */
  gapWaitMs?: number;
}

/**
 * One run's events after a cursor, then live ones, in seq order, each once.
 *
 * It subscribes to the bus FIRST (and waits until the subscription is ready) and only then reads
 * the store, so an event stored while the stream starts is either in the store read or delivered
 * live (or both, and dropped by seq).
 * Live events are held in a map capped at `queueCap`; a reader that falls further behind loses
 * the held events and reads them from the store instead, so memory per stream stays bounded.
 * Seqs are yielded contiguously: when the next seq is missing (two appends racing, or a gap the
 * sidecar is replaying) the stream waits up to `gapWaitMs` for it, then steps over the hole.
 */
export async function* streamRunEvents(options: StreamRunEventsOptions): AsyncGenerator<TRunEvent, void, undefined> {
  const { store, runId, signal, bus = getRunEventBus(), queueCap = 1000, pageSize = 200, gapWaitMs = 5000 } = options;
  let cursor = Math.max(0, options.afterSeq);
  const held = new Map<number, TRunEvent>();
  let readStore = true;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const listener = (event: TRunEvent) => {
    if (event.seq <= cursor || held.has(event.seq)) return;
    if (held.size >= queueCap) {
      held.clear();
      readStore = true;
    } else {
      held.set(event.seq, event);
    }
    notify();
  };
  // Told to, it reads the store again: another process may have stored events it never heard of.
  listener.resync = () => {
    readStore = true;
    notify();
  };
  const unsubscribe = bus.subscribe(runId, listener);
  signal.addEventListener("abort", notify);
  let gapSince: number | undefined;

  try {
    // Subscribed here and, where processes share the hub, at the peers too, before the store is read.
    await bus.ready(runId);
    while (!signal.aborted) {
      const next = held.get(cursor + 1);
      if (next) {
        held.delete(next.seq);
        cursor = next.seq;
        gapSince = undefined;
        yield next;
        continue;
      }

      // The store: at the start, after an overflow, and whenever live events are ahead of the cursor.
      let firstAhead: number | undefined;
      if (readStore || held.size > 0) {
        readStore = false;
        const page = await listRunEvents({ store, runId, afterSeq: cursor, limit: pageSize });
        let contiguous = 0;
        for (const event of page) {
          if (signal.aborted) return;
          if (event.seq <= cursor) continue;
          if (event.seq !== cursor + 1) {
            firstAhead = event.seq;
            break;
          }
          held.delete(event.seq);
          cursor = event.seq;
          contiguous += 1;
          yield event;
        }
        if (contiguous > 0) gapSince = undefined;
        if (contiguous > 0 && firstAhead === undefined) {
          // A full page may have more behind it; anything else arrives live from here on.
          readStore ||= page.length >= pageSize;
          continue;
        }
      }

      // Nothing to yield. Either a hole in the seqs (something later exists) or simply caught up.
      const ahead = Math.min(firstAhead ?? Infinity, ...held.keys());
      let timeoutMs: number | undefined;
      if (Number.isFinite(ahead)) {
        gapSince ??= Date.now();
        const waited = Date.now() - gapSince;
        if (waited >= gapWaitMs) {
          log.warn("run_events.stream_gap_skipped", { runId, fromSeq: cursor + 1, toSeq: ahead - 1 });
          cursor = ahead - 1;
          gapSince = undefined;
          readStore = true;
          continue;
        }
        timeoutMs = gapWaitMs - waited;
      }
      // An abort that fired during the store read above found no waiter to wake: check it here.
      if (signal.aborted) break;
      await new Promise<void>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      // A wake during a gap re-reads the store: the missing events may have been stored meanwhile.
      if (timeoutMs !== undefined) readStore = true;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", notify);
  }
}
