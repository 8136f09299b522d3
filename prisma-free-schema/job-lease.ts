import { z } from "zod";
import { ZTimestamp } from "./ids";

/**
 * The lease on one recurring job (server/scheduler/schedule.ts), in the `system` container: the
 * process holding it runs the job and renews it at every run; another process runs the job only
 * once it has lapsed, so with any number of processes each job runs in exactly one.
 */
/** A recurring job's name: lower-case words joined by hyphens. */
export const ZJobName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { message: "A job's name is lower-case words joined by hyphens." });

export const ZJobLease = z.object({
  /** `job:<name>` */
  id: z.string().regex(/^job:[a-z][a-z0-9-]{0,62}$/),
  type: z.literal("jobLease"),
  job: ZJobName,
  /** The process holding it (its schedule's random id). */
  holder: z.string().min(1).max(64),
  expiresAt: ZTimestamp,
  /** When this holder took it (kept across renewals): how long one process has run the job. */
  heldSince: ZTimestamp,
});
export type TJobLease = z.infer<typeof ZJobLease>;

export function jobLeaseId(job: string): string {
  return `job:${job}`;
}
