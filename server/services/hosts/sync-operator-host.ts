import { OPERATOR_COMMANDS, SIDECAR_TOKEN_MINUTES, SYNC_GRACE_SECONDS, sandboxUserId, ZSandboxRefreshAccessReply, ZSandboxSyncReply } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { operatorCommand } from "../../providers/operator-host/operator-command";
import { hostStore } from "../../store/host-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { failTurn } from "../runs/start-turn";

const SYNC_TIMEOUT_MS = 30_000;

/**
 * The platform and a host's operator agree on what exists (seed: network and connectivity), when
 * the operator (re)connects and every minute after (the `host-sync` job): the operator removes the
 * workloads (containers, pods) no run wants any more; each sandbox still there gets a fresh token
 * for its sidecar, re-pointed rather than restarted; a sandbox that vanished meanwhile is marked
 * destroyed, and a turn it was running ends as failed. No lock is held against launches, in this
 * process or another: the operator keeps whatever is younger than the sync's grace
 * (SYNC_GRACE_SECONDS), so a sandbox saved after the list below was read is never removed.
 */
export async function syncOperatorHost(store: Store, channel: PlatformChannel, at: { workspaceId: string; hostId: string }): Promise<{ present: number; lost: number } | undefined> {
  const host = await hostStore(store).get(at.workspaceId, at.hostId);
  if (!host) return undefined;
  const sandboxes = sandboxStore(store);
  const live = await sandboxes.liveOnHost(at.workspaceId, at.hostId);
  const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.sync, { keep: live.map((sandbox) => sandbox.id), graceSeconds: SYNC_GRACE_SECONDS }, ZSandboxSyncReply, SYNC_TIMEOUT_MS, "reconcile its sandboxes");
  const present = new Set(reply.present);
  let lost = 0;
  for (const { etag: _etag, ...sandbox } of live) {
    // A sandbox still starting is its launch's to judge: its container may not exist yet (its
    // create runs after this, under the lock), and its sidecar was handed a URL moments ago.
    if (sandbox.status === "starting") continue;
    if (present.has(sandbox.id)) {
      const accessUrl = await channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
      await operatorCommand(channel, host.id, OPERATOR_COMMANDS.refreshAccess, { sandboxId: sandbox.id, accessUrl }, ZSandboxRefreshAccessReply, SYNC_TIMEOUT_MS, "re-point a sidecar").catch((error: unknown) =>
        log.warn("host.repoint_failed", { hostId: host.id, sandboxId: sandbox.id, error }),
      );
      continue;
    }
    lost += 1;
    const now = new Date().toISOString();
    await sandboxes.update(sandbox.workspaceId, sandbox.id, (current) => (current.status === "destroyed" ? undefined : { ...current, status: "destroyed", destroyedAt: now }));
    for (const run of await runStore(store).onSandbox(sandbox.workspaceId, sandbox.id)) {
      // A turn not yet handed over is the turn-start reconciler's: its next attempt launches a new sandbox.
      if (!run.lastTurn || (run.turnStart && run.turnStart.phase !== "acknowledged")) continue;
      // Only the turn judged here, in this sandbox: one sent since, elsewhere, is not this sandbox's to end.
      await failTurn({ store }, sandbox.workspaceId, run.id, `The sandbox on ${host.name} was gone when its operator reconnected; send the turn again.`, { turn: run.lastTurn.turn, sandboxId: sandbox.id });
    }
  }
  if (reply.removed.length + lost > 0) log.info("host.synced", { hostId: host.id, kind: host.kind, present: present.size, removed: reply.removed.length, lost });
  return { present: present.size, lost };
}

/** Every registered host's sync, a few at a time: the periodic backstop to the sync on connect. Returns how many were synced. */
export async function syncOperatorHosts(store: Store, channel: PlatformChannel): Promise<number> {
  let synced = 0;
  const hosts = await hostStore(store).listRegistered();
  for (let index = 0; index < hosts.length; index += 4) {
    const batch = hosts.slice(index, index + 4);
    const results = await Promise.allSettled(batch.map(({ workspaceId, id }) => syncOperatorHost(store, channel, { workspaceId, hostId: id })));
    results.forEach((result, offset) => {
      if (result.status === "fulfilled" && result.value) synced += 1;
      else if (result.status === "rejected") log.warn("host.sync_failed", { ...batch[offset], error: result.reason });
    });
  }
  return synced;
}
