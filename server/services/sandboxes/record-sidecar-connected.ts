import type { PlatformChannel } from "../../channel/platform-channel";
import { replayAfterReconnect } from "../events/request-missing-events";
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
 * each run it serves is asked to replay what it emitted after the platform's watermark (every
 * event up to it stored) — the events it logged while the channel was down, and any hole.
 */
export async function recordSidecarConnected(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }): Promise<void> {
  const now = new Date().toISOString();
  await sandboxStore(store).update(at.workspaceId, at.sandboxId, (sandbox) =>
    sandbox.status !== "starting"
      ? undefined
      : { ...sandbox, status: "ready", readyAt: now, meteredUntil: sandbox.definition.provider === "managed" ? now : null },
  );
  signalSandboxReady(at.sandboxId);

  await replayAfterReconnect(store, channel, at);
}
