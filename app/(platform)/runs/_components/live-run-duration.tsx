"use client";

import type { TRunSummary } from "@/prisma-free-schema";
import { formatDuration } from "@/app/_lib/duration";
import { useNow } from "@/app/_lib/use-now";
import { summaryDuration } from "./run-duration";

/** A listed run's duration: counting up each second while it starts or runs a turn, settled otherwise. */
export function LiveRunDuration({ run }: { run: Pick<TRunSummary, "status" | "createdAt" | "updatedAt"> }) {
  const live = run.status === "starting" || run.status === "running";
  const now = useNow(live);
  if (!live) return <>{summaryDuration(run)}</>;
  return <span className="tabular-nums">{now === null ? "—" : formatDuration(Math.max(0, now - Date.parse(run.createdAt)))}</span>;
}
