import { sandboxUserId, type TRun } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { failTurn } from "../runs/start-turn";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/** How long one sandbox's provider may take to say whether it runs (a Docker host asks its operator). */
const INSPECT_TIMEOUT_MS = 5_000;

/**
 * Turns running in sandboxes that are gone: the run's sandbox is no longer connected to the
 * channel and its provider says it does not run (its sidecar was killed, its container or pod
 * removed), or the sandbox is already destroyed. The turn ends as failed, saying why, so whoever
 * watches is told within seconds instead of waiting for ever; then the sandbox is destroyed,
 * and with it every process it started. A sandbox that is only away from the channel (a blip)
 * still runs, and is left alone. Each run is looked at on its own, so one host whose operator
 * does not answer holds up no other. Returns how many turns were ended.
 */
export async function reapDeadSandboxes(deps: SandboxDeps, options: { inspectTimeoutMs?: number } = {}): Promise<number> {
  const running = await runStore(deps.store).withTurnRunning();
  const ended = await Promise.all(
    running.map((run) =>
      reapIfDead(deps, run, options.inspectTimeoutMs ?? INSPECT_TIMEOUT_MS).catch((error: unknown) => {
        log.warn("sandbox.liveness_check_failed", { runId: run.id, sandboxId: run.sandboxId, error });
        return false;
      }),
    ),
  );
  return ended.filter(Boolean).length;
}

async function reapIfDead(deps: SandboxDeps, run: TRun, inspectTimeoutMs: number): Promise<boolean> {
  if (!run.sandboxId) return false;
  const sandbox = await sandboxStore(deps.store).get(run.workspaceId, run.sandboxId);
  if (sandbox && sandbox.status !== "destroyed") {
    if (sandbox.status !== "ready" || (await deps.channel.isConnected(sandboxUserId(sandbox.id)))) return false;
    const inspection = await withTimeout(providerFor(deps.providers, sandbox.definition.provider).inspect(sandbox), inspectTimeoutMs);
    if (!inspection || inspection.state === "running") return false;
    const { etag: _etag, ...gone } = sandbox;
    await failTurn(deps, run.workspaceId, run.id, `The sandbox stopped during the turn (${(inspection.problem ?? inspection.state).slice(0, 1_500)}); send the turn again.`);
    log.warn("sandbox.died_mid_turn", { workspaceId: run.workspaceId, runId: run.id, sandboxId: sandbox.id, state: inspection.state });
    // Whatever it left behind (its folder, a stopped container, processes it detached) goes now.
    await destroySandbox(deps, gone, "it stopped during a turn");
    return true;
  }
  await failTurn(deps, run.workspaceId, run.id, "The sandbox this turn ran in is gone; send the turn again.");
  return true;
}

/** The promise's value, or undefined once `ms` pass first. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
