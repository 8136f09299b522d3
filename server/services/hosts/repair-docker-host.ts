import { OPERATOR_COMMANDS, SIDECAR_TOKEN_MINUTES, sandboxUserId, ZSandboxRefreshAccessReply, ZSandboxSyncReply } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { withHostLock } from "../../providers/operator-host/host-lock";
import { operatorCommand } from "../../providers/operator-host/operator-command";
import { hostStore } from "../../store/host-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { failTurn } from "../runs/start-turn";

const REPAIR_TIMEOUT_MS = 30_000;

/**
 * When a Docker host's operator (re)connects, the platform and the engine agree on what exists
 * (seed: network and connectivity): the operator removes containers no run wants any more; each
 * sandbox still there gets a fresh token for its sidecar, re-pointed rather than restarted; a
 * sandbox that vanished meanwhile is marked destroyed, and a turn it was running ends as failed.
 */
export async function repairDockerHost(store: Store, channel: PlatformChannel, at: { workspaceId: string; hostId: string }): Promise<{ present: number; lost: number } | undefined> {
  const host = await hostStore(store).get(at.workspaceId, at.hostId);
  if (!host || host.kind !== "docker") return undefined;
  const sandboxes = sandboxStore(store);
  // Listing and removing under the host's lock: a sandbox created in between would be removed as unknown.
  const { live, reply } = await withHostLock(host.id, async () => {
    const live = await sandboxes.liveOnHost(at.workspaceId, at.hostId);
    const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.sync, { keep: live.map((sandbox) => sandbox.id) }, ZSandboxSyncReply, REPAIR_TIMEOUT_MS, "reconcile its sandboxes");
    return { live, reply };
  });
  const present = new Set(reply.present);
  let lost = 0;
  for (const { etag: _etag, ...sandbox } of live) {
    // A sandbox still starting is its launch's to judge: its container may not exist yet (its
    // create runs after this, under the lock), and its sidecar was handed a URL moments ago.
    if (sandbox.status === "starting") continue;
    if (present.has(sandbox.id)) {
      const accessUrl = await channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
      await operatorCommand(channel, host.id, OPERATOR_COMMANDS.refreshAccess, { sandboxId: sandbox.id, accessUrl }, ZSandboxRefreshAccessReply, REPAIR_TIMEOUT_MS, "re-point a sidecar").catch((error: unknown) =>
        log.warn("host.docker_repoint_failed", { hostId: host.id, sandboxId: sandbox.id, error }),
      );
      continue;
    }
    lost += 1;
    const now = new Date().toISOString();
    await sandboxes.update(sandbox.workspaceId, sandbox.id, (current) => (current.status === "destroyed" ? undefined : { ...current, status: "destroyed", destroyedAt: now }));
    for (const run of await runStore(store).onSandbox(sandbox.workspaceId, sandbox.id)) {
      await failTurn({ store }, sandbox.workspaceId, run.id, `The sandbox on ${host.name} was gone when its operator reconnected; send the turn again.`);
    }
  }
  log.info("host.docker_repaired", { hostId: host.id, present: present.size, removed: reply.removed.length, lost });
  return { present: present.size, lost };
}
