import type { TRun, TRunEvent } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import type { WithEtag } from "../../store/documents";
import { RecentCopies } from "../../recent-copies";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { storeRunEvents } from "./append-run-events";
import { askToFillHoles } from "./request-missing-events";

/**
 * A batch of run events from the sidecar of `sandboxId`, stored per run. A sidecar speaks for its
 * own sandbox only: events for a run that sandbox is not serving are refused (false), and none of
 * the batch is stored. When the store then shows a hole (events missing below ones it holds),
 * the sidecar is asked to replay it.
 */
export async function acceptSidecarRunEvents(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }, events: TRunEvent[]): Promise<boolean> {
  const byRun = new Map<string, TRunEvent[]>();
  for (const event of events) {
    const ofRun = byRun.get(event.runId);
    if (ofRun) ofRun.push(event);
    else byRun.set(event.runId, [event]);
  }
  const runs = [];
  for (const runId of byRun.keys()) {
    const run = await servedRun(store, at.workspaceId, runId, at.sandboxId);
    if (!run || run.sandboxId !== at.sandboxId) {
      log.warn("run.event_refused", { sandboxId: at.sandboxId, runId, why: run ? "another sandbox's run" : "unknown run" });
      return false;
    }
    runs.push(run);
  }
  for (const run of runs) {
    const { missing } = await storeRunEvents({ store, workspaceId: at.workspaceId, runId: run.id, events: byRun.get(run.id)!, run });
    askToFillHoles(store, channel, at.sandboxId, run.id, missing);
  }
  return true;
}

/**
 * The run, read at most once a second per run while it is served by the same sandbox: a chatty
 * sidecar sends hundreds of batches a second, and which sandbox serves a run changes only when a
 * turn recreates it. A remembered copy naming another sandbox is never trusted to refuse: the run
 * is read again. The copy only admits events; the append's own writes go by etag.
 */
const recent = new RecentCopies<WithEtag<TRun>>(1_000);

/** Forgets this process's copy of a run (its sandbox just changed). */
export function forgetServedRun(workspaceId: string, runId: string): void {
  recent.forget(`${workspaceId}/${runId}`);
}

async function servedRun(store: Store, workspaceId: string, runId: string, sandboxId: string): Promise<WithEtag<TRun> | undefined> {
  const key = `${workspaceId}/${runId}`;
  const known = recent.get(key);
  if (known && known.sandboxId === sandboxId) return known;
  const readAt = Date.now();
  const run = await runStore(store).get(workspaceId, runId);
  if (run) recent.keep(key, run, readAt);
  return run;
}
