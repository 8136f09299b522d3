import type { TRunSummary } from "@/prisma-free-schema";
import { TurnOutcomeBadge } from "./turn-outcome-badge";

/**
 * How the run's newest turn went, apart from the run's status: an idle run whose last turn
 * failed reads "Failed" here, in red, where the status only says it waits for the next turn.
 */
export function LastTurnOutcome({ run }: { run: Pick<TRunSummary, "lastTurn" | "turnCount"> }) {
  if (!run.lastTurn) return <span className="text-slate-500">No turn yet</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      <TurnOutcomeBadge outcome={run.lastTurn.outcome} />
      <span className="text-xs text-slate-500">
        turn {run.lastTurn.turn}
        {run.turnCount > run.lastTurn.turn ? ` of ${run.turnCount}` : null}
      </span>
    </span>
  );
}
