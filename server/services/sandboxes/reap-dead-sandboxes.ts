import { sandboxUserId, type TRun } from "@/prisma-free-schema";
import { log } from "../../log";
import { within } from "../../within";
import { providerFor } from "../../providers/sandbox-providers";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { failTurn } from "../runs/start-turn";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/** How long one sandbox's provider may take to say whether it runs (a Docker host asks its operator). */
const INSPECT_TIMEOUT_MS = 5_000;
/** Sandboxes looked at at once. */
const CHECKS_AT_ONCE = 8;

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
  // A turn not yet handed to its sandbox (queued, dispatching) is the turn-start reconciler's to
  // finish or fail: its run may still name the sandbox the start is replacing.
  const running = (await runStore(deps.store).withTurnRunning()).filter((run) => !run.turnStart || run.turnStart.phase === "acknowledged");
  // Each sandbox once, however many runs share it; a few at a time, so a large fleet does not flood the hub.
  const bySandbox = new Map<string, TRun[]>();
  for (const run of running) {
    const key = run.sandboxId ?? `none:${run.id}`;
    const group = bySandbox.get(key);
    if (group) group.push(run);
    else bySandbox.set(key, [run]);
  }
  const groups = [...bySandbox.values()];
  let ended = 0;
  for (let i = 0; i < groups.length; i += CHECKS_AT_ONCE) {
    const results = await Promise.all(
      groups.slice(i, i + CHECKS_AT_ONCE).map((runs) =>
        reapIfDead(deps, runs, options.inspectTimeoutMs ?? INSPECT_TIMEOUT_MS).catch((error: unknown) => {
          log.warn("sandbox.liveness_check_failed", { sandboxId: runs[0]!.sandboxId, error });
          return 0;
        }),
      ),
    );
    ended += results.reduce((sum, n) => sum + n, 0);
  }
  return ended;
}

/** The runs of one sandbox: their turns end as failed when it is gone; returns how many ended. */
async function reapIfDead(deps: SandboxDeps, runs: TRun[], inspectTimeoutMs: number): Promise<number> {
  const { sandboxId, workspaceId } = runs[0]!;
  if (!sandboxId) return 0;
  const sandbox = await sandboxStore(deps.store).get(workspaceId, sandboxId);
  let why = "The sandbox this turn ran in is gone; send the turn again.";
  if (sandbox && sandbox.status !== "destroyed") {
    if (sandbox.status !== "ready" || (await deps.channel.isConnected(sandboxUserId(sandbox.id)))) return 0;
    const inspection = await within(providerFor(deps.providers, sandbox.definition.provider).inspect(sandbox), inspectTimeoutMs);
    if (!inspection || inspection.state === "running") return 0;
    why = `The sandbox stopped during the turn (${(inspection.problem ?? inspection.state).slice(0, 1_500)}); send the turn again.`;
    log.warn("sandbox.died_mid_turn", { workspaceId, sandboxId: sandbox.id, runs: runs.map((run) => run.id), state: inspection.state });
  }
  let ended = 0;
  // Only the turn that was judged: one sent since (the check took a while) is not this sandbox's to fail.
  for (const run of runs) if (await failTurn(deps, run.workspaceId, run.id, why, { turn: run.lastTurn!.turn, sandboxId })) ended += 1;
  if (sandbox && sandbox.status !== "destroyed") {
    const { etag: _etag, ...gone } = sandbox;
    // Whatever it left behind (its folder, a stopped container, processes it detached) goes now.
    await destroySandbox(deps, gone, "it stopped during a turn");
  }
  return ended;
}
