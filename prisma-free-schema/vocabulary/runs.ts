import type { TRun } from "../run";

export const RUN_STATUSES = ["starting", "running", "idle", "failed", "ended"] as const;
export type TRunStatus = (typeof RUN_STATUSES)[number];

/** Whether the run has a turn that has not ended: the one rule the page and the platform share (one turn at a time). */
export function turnRunning(run: Pick<TRun, "lastTurn">): boolean {
  return run.lastTurn !== null && run.lastTurn.endedAt === null;
}
