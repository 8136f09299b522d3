import { log } from "../../log";
import { runStore } from "../../store/run-store";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { failTurn } from "./start-turn";

/**
 * Turns whose start was under way in a process that died (its lease on the start lapsed, see
 * turn-start-lease.ts): each ends as failed, saying why, so the person can send it again. Run
 * by the schedule; a turn the sidecar took meanwhile is acknowledged, not stranded.
 */
export async function failStrandedTurnStarts(deps: Pick<SandboxDeps, "store">, now = new Date()): Promise<number> {
  let ended = 0;
  for (const run of await runStore(deps.store).withStrandedTurnStart(now.toISOString())) {
    try {
      // Only if its start is still lapsed when ended: a dispatcher that renewed it meanwhile keeps it.
      const expected = { turn: run.lastTurn!.turn, startLapsedBefore: now.toISOString() };
      const failed = await failTurn(deps, run.workspaceId, run.id, "The platform stopped while it was starting this turn; send the turn again.", expected);
      if (failed) {
        ended += 1;
        log.warn("run.turn_start_stranded", { workspaceId: run.workspaceId, runId: run.id, turn: run.lastTurn?.turn });
      }
    } catch (error) {
      log.warn("run.turn_start_stranded_failed", { runId: run.id, error });
    }
  }
  return ended;
}
