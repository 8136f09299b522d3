import { SIDECAR_COMMANDS, sandboxUserId, type TRun, turnRunning, ZTurnCancelReply } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError } from "../../errors";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { recordTurnEnd, withTurnEnded } from "./run-turns";
import { runToDrive } from "./send-turn";

const CANCEL_TIMEOUT_MS = 15_000;

/**
 * Cancels the running turn: the sidecar stops its process group and ends the turn as
 * cancelled, which arrives as its `turn.ended` event. If the sidecar cannot be reached, or says
 * the turn is not running there, the turn is ended as cancelled here, so the run is never stuck
 * "running".
 */
export async function cancelTurn(deps: SandboxDeps, { actor, access, runId }: { actor: Actor; access: WorkspaceAccess; runId: string }): Promise<TRun> {
  const runs = runStore(deps.store);
  const run = await runToDrive(deps.store, access, actor, runId);
  const running = turnRunning(run) ? run.lastTurn! : undefined;
  if (!running) throw new AppError("CONFLICT", "No turn is running.");

  if (run.sandboxId) {
    try {
      const reply = ZTurnCancelReply.parse(await deps.channel.send(sandboxUserId(run.sandboxId), SIDECAR_COMMANDS.turnCancel, { runId, turn: running.turn }, { timeoutMs: CANCEL_TIMEOUT_MS }));
      // Stopped: its `turn.ended` is on its way. Not running there (it never got the turn): ended here.
      if (reply.cancelled) return run;
      log.info("run.cancel_not_running_in_sandbox", { runId, sandboxId: run.sandboxId, turn: running.turn });
    } catch (error) {
      log.warn("run.cancel_unreachable", { runId, sandboxId: run.sandboxId, error });
    }
  }
  const now = new Date().toISOString();
  const ended = await runs.update(access.workspace.id, runId, (current) => {
    const cancelled = withTurnEnded(current, running.turn, "cancelled", now);
    return cancelled && { ...cancelled, status: "idle" };
  });
  if (ended?.lastTurn) await recordTurnEnd(deps.store, runId, ended.lastTurn);
  const { etag: _e, ...result } = ended!;
  return result;
}
