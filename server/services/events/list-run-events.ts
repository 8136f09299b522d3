import type { TRunEvent } from "@/prisma-free-schema";
import { runLogStore } from "../../store/run-log-store";
import type { Store } from "../../store/store";

export const MAX_EVENTS_PAGE = 500;

/**
 * Reads asked for in the same turn of the event loop, by run, cursor and limit: when a thousand
 * watchers of one run open at once, each asking for the same first page, the store is read once.
 * A read is shared only with callers that asked before it began (it begins on the next turn and
 * leaves this map then), so each caller's page holds everything stored before it asked.
 */
const asked = new WeakMap<Store, Map<string, Promise<TRunEvent[]>>>();

/** Up to `limit` of a run's stored events after `afterSeq`, in seq order (shared arrays: callers do not change them). */
export function listRunEvents(options: { store: Store; runId: string; afterSeq: number; limit: number }): Promise<TRunEvent[]> {
  const { store, runId } = options;
  const limit = Math.max(1, Math.min(options.limit, MAX_EVENTS_PAGE));
  const afterSeq = Math.max(0, options.afterSeq);
  let reads = asked.get(store);
  if (!reads) asked.set(store, (reads = new Map()));
  const key = `${runId}\n${afterSeq}\n${limit}`;
  const joined = reads.get(key);
  if (joined) return joined;
  const read = new Promise<void>((begin) => setImmediate(begin)).then(() => {
    reads.delete(key);
    return runLogStore(store).listEvents(runId, afterSeq, limit);
  });
  reads.set(key, read);
  return read;
}
