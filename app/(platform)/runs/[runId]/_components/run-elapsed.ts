import type { TRunDetail } from "@/prisma-free-schema";

/** From the first turn's start to the last one's end, or to now while the run works. */
export function runElapsedMs(run: Pick<TRunDetail, "turns" | "status" | "updatedAt">, now: number): number | null {
  const first = run.turns[0];
  const last = run.turns.at(-1);
  if (!first || !last) return null;
  const working = run.status === "running" || run.status === "starting";
  const end = last.endedAt ? Date.parse(last.endedAt) : working ? now : Date.parse(run.updatedAt);
  return Math.max(0, end - Date.parse(first.startedAt));
}
