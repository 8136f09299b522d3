import type { TRunEvent } from "@/prisma-free-schema";
import { log } from "../../log";

/**
 * In-process announcement of newly stored run events, in seq order, to whoever watches that run.
 * The store is the truth and the bus only a fast path: a watcher subscribes first, then reads the
 * store, so an event stored in between reaches it one way or the other (see stream-run-events.ts).
 * The SSE route's streams do not subscribe one by one: each run's fan-out (run-fanout.ts) holds
 * one subscription for all of them. A batch published in one go (one `publish` per event, in a
 * loop) reaches the streams as one chunk. The platform is a single instance (ARCHITECTURE.md),
 * so in-process is enough.
 */
export type RunEventListener = (event: TRunEvent) => void;

export interface RunEventBus {
  /** Calls `listener` for every event of `runId` published from now on; returns the unsubscribe. */
  subscribe(runId: string, listener: RunEventListener): () => void;
  publish(event: TRunEvent): void;
  /** Subscribers of one run (for tests and diagnostics). */
  listenerCount(runId: string): number;
}

export function createRunEventBus(): RunEventBus {
  const listeners = new Map<string, Set<RunEventListener>>();
  return {
    subscribe(runId, listener) {
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(runId) === set) listeners.delete(runId);
      };
    },
    publish(event) {
      for (const listener of [...(listeners.get(event.runId) ?? [])]) {
        try {
          listener(event);
        } catch (error) {
          // One broken subscriber must not keep the event from the others.
          log.error("run_event_bus.listener_failed", { runId: event.runId, seq: event.seq, error });
        }
      }
    },
    listenerCount: (runId) => listeners.get(runId)?.size ?? 0,
  };
}

const BUS_KEY = Symbol.for("discoparrot.runEventBus");
type BusHolder = { [BUS_KEY]?: RunEventBus };

/**
 * This process's bus. Kept on globalThis, like getStore(), because Next.js may load this module
 * in more than one bundle (the tRPC route, the SSE route, instrumentation) and they must share it.
 */
export function getRunEventBus(): RunEventBus {
  const holder = globalThis as BusHolder;
  return (holder[BUS_KEY] ??= createRunEventBus());
}
