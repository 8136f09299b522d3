import { type TRun, turnRunning } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { auditOrUndo } from "../audit/append-audit-event";
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
  let before: TRun | undefined;
  const updated = await runs.update(access.workspace.id, runId, (current) => {
    if (current.status === "ended") return undefined;
    before = current;
    // A turn the sidecar is still stopping ends here: its sandbox goes next, and its own end may never come.
    const stopped = current.lastTurn ? (withTurnEnded(current, current.lastTurn.turn, "cancelled", now) ?? current) : current;
    return { ...stopped, status: "ended", turnStart: null, updatedAt: now };
  });
  if (!updated) throw notFound("Run");
  const { etag: _e, ...after } = updated;
  if (after.lastTurn) await recordTurnEnd(deps.store, runId, after.lastTurn);
  // Ended meanwhile by another request: that one audits it and tidies up.
  if (!before || after.status !== "ended" || after.updatedAt !== now) return after;
  const previous = before;
  await auditOrUndo(
    deps.store,
    {
      workspaceId: access.workspace.id,
      eventType: "run.ended",
      actor: auditActorOf(actor),
      target: { kind: "run", id: run.id, label: `${run.profileName} run` },
      data: { turns: after.turnCount, sandboxId: after.sandboxId },
    },
    () => runs.update(access.workspace.id, runId, (current) => (current.status === "ended" ? { ...current, status: previous.status, updatedAt: previous.updatedAt } : undefined)),
  );

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
