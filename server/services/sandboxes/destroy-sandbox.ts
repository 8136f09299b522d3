import { SIDECAR_COMMANDS, sandboxUserId, type TSandbox } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { sandboxStore } from "../../store/sandbox-store";
import { meterSandbox } from "../usage/meter-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/**
 * Stops a sandbox and everything in it, meters its last seconds, and marks it destroyed. A host's
 * sandbox whose operator cannot remove it now (away, or the host deleted) is destroyed all the
 * same as far as the platform goes: the host's sync removes the workload once its operator is
 * back (it is no longer among the sandboxes to keep), and the sidecar is told to stop for good,
 * so a pod or container whose host is gone ends by itself rather than running on.
 */
export async function destroySandbox(deps: SandboxDeps, sandbox: TSandbox, reason: string): Promise<void> {
  const now = new Date();
  const profile = await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId);
  await meterSandbox(deps.store, sandbox, profile?.name ?? "(deleted profile)", now);
  try {
    await providerFor(deps.providers, sandbox.definition.provider).destroy(sandbox);
  } catch (error) {
    if (!sandbox.definition.hostId) throw error;
    log.warn("sandbox.destroy_deferred_to_host_sync", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, error });
    await deps.channel.send(sandboxUserId(sandbox.id), SIDECAR_COMMANDS.shutdown, {}, { timeoutMs: 5_000 }).catch(() => undefined);
  }
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.status === "destroyed" ? undefined : { ...current, status: "destroyed", destroyedAt: now.toISOString() },
  );
  log.info("sandbox.destroyed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, reason });
}
