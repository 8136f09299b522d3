import type { TRun, TRunSummary } from "@/prisma-free-schema";

export function toRunSummary({ turns, type: _type, etag: _etag, ...run }: TRun & { etag?: string }): TRunSummary {
  return { ...run, turnCount: turns.length };
}
