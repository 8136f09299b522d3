import type { TRunEvent } from "@/prisma-free-schema";
import { log } from "../../log";

/**
 * Announcement of newly stored run events, in seq order, to whoever watches that run.
 * The store is the truth and the bus only a fast path: a watcher subscribes first, waits until
 * the subscription is `ready`, then reads the store, so an event stored in between reaches it one
 * way or the other (see stream-run-events.ts). The SSE route's streams do not subscribe one by
 * one: each run's fan-out (run-fanout.ts) holds one subscription for all of them.
 *
 * A platform alone on its hub announces in process. Where several share a hub, the bus is given
 * the process's peers (platform-peers.ts): a run's first subscriber here joins that run's group,
 * events stored here are relayed to the processes watching it, and theirs arrive as `deliver`.
 * `resync` tells a run's subscribers to read the store again: after the link to the peers was
 * down (a relay may have been missed), and now and then as the backstop.
 */
export interface RunEventListener {
  (event: TRunEvent): void;
  /** Read the store again: events may have been stored that this listener was not told of. */
  resync?(): void;
}

/** What the bus needs of the other platform processes on the hub. */
export interface RunEventPeers {
  /** This process wants the run's events stored elsewhere; resolves once they will arrive. */
  join(runId: string): Promise<void>;
  leave(runId: string): void;
  /** Events just stored here, for the processes watching the run. */
  relay(runId: string, events: readonly TRunEvent[]): void;
}

export interface RunEventBus {
  /** Calls `listener` for every event of `runId` published from now on; returns the unsubscribe. */
  subscribe(runId: string, listener: RunEventListener): () => void;
  /** Resolves once a subscription to `runId` also hears of events stored by other processes. */
  ready(runId: string): Promise<void>;
  /** Events this process just stored, in seq order: to its subscribers, and to the peers watching the run. */
  publish(events: readonly TRunEvent[]): void;
  /** Events another process stored (see RunEventPeers): to this process's subscribers only. */
  deliver(events: readonly TRunEvent[]): void;
  /** Tells the run's subscribers (every run's, without `runId`) to read the store again. */
  resync(runId?: string): void;
  /** From now on, runs are shared with `peers`: every run already subscribed is joined, then resynced. */
  connectPeers(peers: RunEventPeers): void;
  /** Subscribers of one run (for tests and diagnostics). */
  listenerCount(runId: string): number;
}

export function createRunEventBus(): RunEventBus {
  const listeners = new Map<string, Set<RunEventListener>>();
  const joined = new Map<string, Promise<void>>();
  let peers: RunEventPeers | undefined;

  function join(runId: string): void {
    if (!peers) return;
    const joining = peers.join(runId).catch((error: unknown) => {
      // The relay is a fast path: without it the run's watchers here still resync from the store.
      log.warn("run_event_bus.join_failed", { runId, error });
    });
    joined.set(runId, joining);
  }

  function tell(runId: string, events: readonly TRunEvent[]): void {
    const set = listeners.get(runId);
    if (!set) return;
    for (const listener of [...set]) {
      for (const event of events) {
        try {
          listener(event);
        } catch (error) {
          // One broken subscriber must not keep the event from the others.
          log.error("run_event_bus.listener_failed", { runId, seq: event.seq, error });
        }
      }
    }
  }

  const bus: RunEventBus = {
    subscribe(runId, listener) {
      let set = listeners.get(runId);
      if (!set) {
        listeners.set(runId, (set = new Set()));
        join(runId);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(runId) === set) {
          listeners.delete(runId);
          joined.delete(runId);
          peers?.leave(runId);
        }
      };
    },
    ready: (runId) => joined.get(runId) ?? Promise.resolve(),
    publish(events) {
      if (events.length === 0) return;
      const runId = events[0]!.runId;
      tell(runId, events);
      peers?.relay(runId, events);
    },
    deliver(events) {
      if (events.length > 0) tell(events[0]!.runId, events);
    },
    resync(runId) {
      const sets = runId === undefined ? [...listeners.values()] : [listeners.get(runId) ?? new Set<RunEventListener>()];
      for (const set of sets) for (const listener of [...set]) listener.resync?.();
    },
    connectPeers(next) {
      peers = next;
      for (const runId of listeners.keys()) join(runId);
      // Whatever was stored elsewhere before the joins took hold is read from the store.
      void Promise.all(joined.values()).then(() => bus.resync());
    },
    listenerCount: (runId) => listeners.get(runId)?.size ?? 0,
  };
  return bus;
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
