import { type TRun, turnRunning } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { auditedChange } from "../audit/append-audit-event";
import { destroySandbox } from "../sandboxes/destroy-sandbox";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { cancelTurn } from "./cancel-turn";
import { recordTurnEnd, withTurnEnded } from "./run-turns";
import { runToDrive } from "./send-turn";

/**
 * Ends a run for good (only the person who started it may): a turn still running is cancelled,
 * the run takes no more turns, the end is audited (`run.ended`), and its sandbox is destroyed
 * unless another of the person's runs still uses it (a persistent Docker workspace outlives its
 * sandbox, as always). Ending an ended run changes nothing.
 */
export async function endRun(deps: SandboxDeps, { actor, access, runId }: { actor: Actor; access: WorkspaceAccess; runId: string }): Promise<TRun> {
  const runs = runStore(deps.store);
  const run = await runToDrive(deps.store, access, actor, runId);
  if (run.status === "ended") return run;
  if (turnRunning(run)) await cancelTurn(deps, { actor, access, runId }).catch((error: unknown) => log.warn("run.end_cancel_failed", { runId, error }));

  const now = new Date().toISOString();
  const updated = await auditedChange(
    deps.store,
    {
      workspaceId: access.workspace.id,
      eventType: "run.ended",
      actor: auditActorOf(actor),
      target: { kind: "run", id: run.id, label: `${run.profileName} run` },
      data: { turns: run.turnCount, sandboxId: run.sandboxId },
    },
    { container: "runs", partitionKey: access.workspace.id, id: runId, landed: { field: "updatedAt", equals: now } },
    async () => {
      const ended = await runs.update(access.workspace.id, runId, (current) => {
        // Ended meanwhile by another request: that one's row stands, and this change is refused (the row goes).
        if (current.status === "ended") throw new AppError("CONFLICT", "This run was ended meanwhile.");
        // A turn the sidecar is still stopping ends here: its sandbox goes next, and its own end may never come.
        const stopped = current.lastTurn ? (withTurnEnded(current, current.lastTurn.turn, "cancelled", now) ?? current) : current;
        return { ...stopped, status: "ended", turnStart: null, updatedAt: now };
      });
      if (!ended) throw notFound("Run");
      return ended;
    },
  ).catch(async (error: unknown) => {
    if (error instanceof AppError && error.code === "CONFLICT" && !error.options.field) {
      const current = await runs.get(access.workspace.id, runId);
      if (current?.status === "ended") return undefined;
    }
    throw error;
  });
  if (!updated) return (await runs.get(access.workspace.id, runId))!;
  const { etag: _e, ...after } = updated;
  if (after.lastTurn) await recordTurnEnd(deps.store, runId, after.lastTurn);

  if (after.sandboxId) {
    const others = (await runs.onSandbox(access.workspace.id, after.sandboxId)).filter((other) => other.id !== runId);
    const sandbox = await sandboxStore(deps.store).get(access.workspace.id, after.sandboxId);
    if (others.length === 0 && sandbox && sandbox.status !== "destroyed") {
      const { etag: _s, ...live } = sandbox;
      await destroySandbox(deps, live, "its run ended").catch((error: unknown) => log.warn("run.end_destroy_failed", { runId, sandboxId: live.id, error }));
    }
  }
  return after;
}
