import type { TRun, TRunSummary } from "@/prisma-free-schema";

export function toRunSummary({ type: _type, etag: _etag, ...run }: TRun & { etag?: string }): TRunSummary {
  return run;
}
