import { hostUserId, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox } from "@/prisma-free-schema";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { failTurn } from "../runs/start-turn";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { READY_TIMEOUT_MS } from "./launch-sandbox";

/** Sandboxes looked at at once. */
const AT_ONCE = 8;

/**
 * After the platform starts: every sandbox still running gets a fresh channel URL out of band
 * (an embedded hub comes back with a new port and key, so the old tokens are dead), reconnects,
 * and is then asked to replay what it logged meanwhile. A sandbox that stopped while the platform
 * was away is cleaned up, and a turn it was running ends as failed, saying why.
 *
 * Managed sandboxes go first, several at a time, and a sandbox on a host whose operator is not
 * connected is left to that operator's return (the host's repair then reconciles it): asking an
 * absent operator would only time out, and must hold back no one else's stream.
 */
export async function reconnectSandboxes(deps: SandboxDeps): Promise<{ reconnected: number; lost: number; awaitingOperator: number }> {
  const counts = { reconnected: 0, lost: 0, awaitingOperator: 0 };
  const live = (await sandboxStore(deps.store).listLive()).map(({ etag: _etag, ...sandbox }) => sandbox);
  const ordered = [...live.filter((sandbox) => sandbox.definition.provider === "managed"), ...live.filter((sandbox) => sandbox.definition.provider !== "managed")];
  for (let i = 0; i < ordered.length; i += AT_ONCE) {
    await Promise.all(
      ordered.slice(i, i + AT_ONCE).map((sandbox) =>
        reconnectOne(deps, sandbox).then(
          (outcome) => void (outcome && (counts[outcome] += 1)),
          (error: unknown) => log.warn("sandbox.reconnect_failed", { sandboxId: sandbox.id, error }),
        ),
      ),
    );
  }
  if (counts.reconnected + counts.lost + counts.awaitingOperator > 0) log.info("sandbox.reconnected_after_start", counts);
  return counts;
}

async function reconnectOne(deps: SandboxDeps, sandbox: TSandbox): Promise<"reconnected" | "lost" | "awaitingOperator" | undefined> {
  const provider = deps.providers[sandbox.definition.provider];
  // A paused sandbox has no compute to reconnect: its next turn starts it again (one being paused, the idle pass finishes).
  if (!provider || sandbox.status === "paused" || sandbox.status === "pausing") return undefined;
  // One another process is launching or resuming right now (a rolling deploy) is that launch's to finish or fail.
  if (sandbox.status === "starting" && Date.now() - Date.parse(sandbox.lastActiveAt ?? sandbox.createdAt) < READY_TIMEOUT_MS) return undefined;
  const hostId = sandbox.definition.hostId;
  if (hostId && !(await deps.channel.isConnected(hostUserId(hostId)))) return "awaitingOperator";
  if ((await provider.inspect(sandbox)).state === "running") {
    const url = await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
    await provider.refreshAccess(sandbox, url);
    const expiresAt = new Date(Date.now() + SIDECAR_TOKEN_MINUTES * 60_000).toISOString();
    await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, tokenExpiresAt: expiresAt }));
    return "reconnected";
  }
  await destroySandbox(deps, sandbox, "it stopped while the platform was away");
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    // A turn not yet handed over is the turn-start reconciler's: its next attempt launches a new sandbox.
    if (run.turnStart && run.turnStart.phase !== "acknowledged") continue;
    await failTurn(deps, sandbox.workspaceId, run.id, "The sandbox stopped while the platform was restarting; send the turn again.");
  }
  return "lost";
}
