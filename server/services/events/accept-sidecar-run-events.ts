import { SIDECAR_COMMANDS, sandboxUserId, type TRun, type TRunEvent } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import type { WithEtag } from "../../store/documents";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { appendRunEvents } from "./append-run-events";

/**
 * A batch of run events from the sidecar of `sandboxId`, stored per run. A sidecar speaks for its
 * own sandbox only: events for a run that sandbox is not serving are refused (false), and none of
 * the batch is stored. When the events show the platform missed some (a gap), the sidecar is
 * asked to replay from the last one stored.
 */
export async function acceptSidecarRunEvents(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }, events: TRunEvent[]): Promise<boolean> {
  const byRun = new Map<string, TRunEvent[]>();
  for (const event of events) byRun.set(event.runId, [...(byRun.get(event.runId) ?? []), event]);
  const runs = [];
  for (const runId of byRun.keys()) {
    const run = await runStore(store).get(at.workspaceId, runId);
    if (!run || run.sandboxId !== at.sandboxId) {
      log.warn("run.event_refused", { sandboxId: at.sandboxId, runId, why: run ? "another sandbox's run" : "unknown run" });
      return false;
    }
    runs.push(run);
  }
  for (const run of runs) await appendForRun(store, channel, at, run, byRun.get(run.id)!);
  return true;
}

async function appendForRun(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }, run: WithEtag<TRun>, events: TRunEvent[]): Promise<void> {
  const result = await appendRunEvents({ store, workspaceId: at.workspaceId, runId: run.id, events, run });
  const firstMissing = result.missing[0];
  if (firstMissing) {
    void channel
      .send(sandboxUserId(at.sandboxId), SIDECAR_COMMANDS.eventsReplay, { runId: run.id, afterSeq: firstMissing.fromSeq - 1 }, { timeoutMs: 30_000 })
      .catch((error: unknown) => log.warn("run.replay_request_failed", { runId: run.id, sandboxId: at.sandboxId, error }));
  }
}
