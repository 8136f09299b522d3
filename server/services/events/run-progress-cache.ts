import type { TRunProgress } from "@/prisma-free-schema";
import type { WithEtag } from "../../store/documents";

/**
 * Per-process helpers for appending a run's events, neither of them state that matters: the
 * store's marker (with its etag) is the truth, these only save round trips.
 *  - the marker as this process last wrote it, so a steady stream of batches writes without
 *    reading first (a stale copy is refused by its etag, dropped, and read again);
 *  - one append per run at a time, so this process's own batches do not race each other.
 */
const MAX_CACHED = 10_000;
const markers = new Map<string, WithEtag<TRunProgress>>();
const tails = new Map<string, Promise<unknown>>();

export function knownProgress(runId: string): WithEtag<TRunProgress> | undefined {
  return markers.get(runId);
}

export function rememberProgress(progress: WithEtag<TRunProgress>): void {
  markers.delete(progress.runId);
  markers.set(progress.runId, progress);
  // Oldest first in a Map: a run not written lately is the one to let go.
  if (markers.size > MAX_CACHED) markers.delete(markers.keys().next().value!);
}

export function forgetProgress(runId: string): void {
  markers.delete(runId);
}

/** Runs `work` after every earlier `serially` call for `runId` has settled. */
export function serially<T>(runId: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(runId) ?? Promise.resolve();
  const result = previous.then(work, work);
  const tail = result.catch(() => undefined);
  tails.set(runId, tail);
  void tail.then(() => {
    if (tails.get(runId) === tail) tails.delete(runId);
  });
  return result;
}
