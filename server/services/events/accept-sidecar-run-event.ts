import { SIDECAR_COMMANDS, sandboxUserId, type TRunEvent } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { appendRunEvents } from "./append-run-events";

/**
 * One run event from the sidecar of `sandboxId`. A sidecar speaks for its own sandbox only: an
 * event for a run that sandbox is not serving is refused (false). When the event shows the
 * platform missed some (a gap), the sidecar is asked to replay from the last one stored.
 */
export async function acceptSidecarRunEvent(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }, event: TRunEvent): Promise<boolean> {
  const run = await runStore(store).get(at.workspaceId, event.runId);
  if (!run || run.sandboxId !== at.sandboxId) {
    log.warn("run.event_refused", { sandboxId: at.sandboxId, runId: event.runId, why: run ? "another sandbox's run" : "unknown run" });
    return false;
  }
  const result = await appendRunEvents({ store, workspaceId: at.workspaceId, runId: run.id, events: [event] });
  const firstMissing = result.missing[0];
  if (firstMissing) {
    void channel
      .send(sandboxUserId(at.sandboxId), SIDECAR_COMMANDS.eventsReplay, { runId: run.id, afterSeq: firstMissing.fromSeq - 1 }, { timeoutMs: 30_000 })
      .catch((error: unknown) => log.warn("run.replay_request_failed", { runId: run.id, sandboxId: at.sandboxId, error }));
  }
  return true;
}
