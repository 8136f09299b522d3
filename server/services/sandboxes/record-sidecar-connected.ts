import { SIDECAR_COMMANDS, sandboxUserId } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { signalSandboxReady } from "./sandbox-readiness";

/** Whether a sidecar may hold a connection: its sandbox exists and is not failed or destroyed. */
export async function admitSidecar(store: Store, sandboxId: string): Promise<{ workspaceId: string } | undefined> {
  const sandbox = await sandboxStore(store).findById(sandboxId);
  if (!sandbox || sandbox.status === "failed" || sandbox.status === "destroyed") return undefined;
  return { workspaceId: sandbox.workspaceId };
}

/**
 * A sidecar connected: its sandbox is ready (metering starts with its first connection), and
 * each run it serves is asked to replay what it emitted after the last event the platform
 * stored — the events it logged while the channel was down.
 */
export async function recordSidecarConnected(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }): Promise<void> {
  const now = new Date().toISOString();
  await sandboxStore(store).update(at.workspaceId, at.sandboxId, (sandbox) =>
    sandbox.status !== "starting"
      ? undefined
      : { ...sandbox, status: "ready", readyAt: now, meteredUntil: sandbox.definition.provider === "managed" ? now : null },
  );
  signalSandboxReady(at.sandboxId);

  for (const run of await runStore(store).onSandbox(at.workspaceId, at.sandboxId)) {
    // Not awaited: the hub waits for this handler, and the sidecar answers only once it is connected.
    void channel
      .send(sandboxUserId(at.sandboxId), SIDECAR_COMMANDS.eventsReplay, { runId: run.id, afterSeq: run.lastSeq }, { timeoutMs: 30_000 })
      .catch((error: unknown) => log.warn("run.replay_request_failed", { runId: run.id, sandboxId: at.sandboxId, error }));
  }
}
