import { SIDECAR_TOKEN_MINUTES, sandboxUserId } from "@/prisma-free-schema";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { failTurn } from "../runs/start-turn";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { READY_TIMEOUT_MS } from "./launch-sandbox";

/**
 * After the platform starts: every sandbox still running gets a fresh channel URL out of band
 * (an embedded hub comes back with a new port and key, so the old tokens are dead), reconnects,
 * and is then asked to replay what it logged meanwhile. A sandbox that stopped while the platform
 * was away is cleaned up, and a turn it was running ends as failed, saying why.
 */
export async function reconnectSandboxes(deps: SandboxDeps): Promise<{ reconnected: number; lost: number }> {
  let reconnected = 0;
  let lost = 0;
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).listLive()) {
    const provider = deps.providers[sandbox.definition.provider];
    // A paused sandbox has no compute to reconnect: its next turn starts it again (one being paused, the idle pass finishes).
    if (!provider || sandbox.status === "paused" || sandbox.status === "pausing") continue;
    // One another process is launching or resuming right now (a rolling deploy) is that launch's to finish or fail.
    if (sandbox.status === "starting" && Date.now() - Date.parse(sandbox.lastActiveAt ?? sandbox.createdAt) < READY_TIMEOUT_MS) continue;
    try {
      if ((await provider.inspect(sandbox)).state === "running") {
        const url = await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
        await provider.refreshAccess(sandbox, url);
        const expiresAt = new Date(Date.now() + SIDECAR_TOKEN_MINUTES * 60_000).toISOString();
        await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, tokenExpiresAt: expiresAt }));
        reconnected += 1;
        continue;
      }
      await destroySandbox(deps, sandbox, "it stopped while the platform was away");
      for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
        await failTurn(deps, sandbox.workspaceId, run.id, "The sandbox stopped while the platform was restarting; send the turn again.");
      }
      lost += 1;
    } catch (error) {
      log.warn("sandbox.reconnect_failed", { sandboxId: sandbox.id, error });
    }
  }
  if (reconnected + lost > 0) log.info("sandbox.reconnected_after_start", { reconnected, lost });
  return { reconnected, lost };
}
