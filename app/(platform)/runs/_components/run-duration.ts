import type { TRunDetail, TRunSummary } from "@/prisma-free-schema";
import { formatDuration } from "@/app/_lib/duration";

/** From the first turn's start to the last turn's end; "Running" while a turn is. */
export function runDuration(run: Pick<TRunDetail, "turns">): string {
  const first = run.turns[0];
  const last = run.turns.at(-1);
  if (!first || !last) return "—";
  if (!last.endedAt) return "Running";
  return formatDuration(Date.parse(last.endedAt) - Date.parse(first.startedAt));
}

/**
 * The list has no turn times (a summary leaves the turns out), so a settled run counts from its
 * creation to its last change, which is when its last turn ended.
 */
export function summaryDuration(run: Pick<TRunSummary, "status" | "createdAt" | "updatedAt">): string {
  if (run.status === "starting" || run.status === "running") return "Running";
  return formatDuration(Date.parse(run.updatedAt) - Date.parse(run.createdAt));
}
