import { z } from "zod";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZHostId } from "./host";
import { ZProfileId } from "./profile";
import { ZRunId, ZSandboxId, ZTurnOutcome } from "./run-event";

/**
 * A run: one conversation with an agent in a sandbox, kept by the platform so it survives a
 * restart. Its events live in their own container (one document per event, see run-event.ts);
 * the run keeps only the highest event seq stored, so a reconnecting sidecar can be asked to
 * replay from there.
 *
 * Statuses, kept to what the platform can actually observe:
 * - starting: the sandbox is being prepared, no turn has begun;
 * - running: a turn is in progress;
 * - idle: the last turn ended, the run waits for the next one;
 * - failed: the sandbox could not be started or was lost;
 * - ended: closed by a person (or by cleanup); no more turns.
 * A cancelled turn is a turn outcome, not a run status.
 */
export const RUN_STATUSES = ["starting", "running", "idle", "failed", "ended"] as const;
export const ZRunStatus = z.enum(RUN_STATUSES);
export type TRunStatus = z.infer<typeof ZRunStatus>;

export const ZRunPlacement = z.object({
  provider: z.enum(["managed", "kubernetes", "docker"]),
  /** The BYO host; null on managed compute. */
  hostId: ZHostId.nullable(),
  hostName: z.string().nullable(),
});
export type TRunPlacement = z.infer<typeof ZRunPlacement>;

/** What a person types as a turn. */
export const ZTurnInput = z
  .string()
  .max(256 * 1024, { message: "A turn's input is at most 256 KiB" })
  .refine((input) => input.trim().length > 0, { message: "Type what the agent should do" });

export const ZRunTurn = z.object({
  turn: z.number().int().min(1),
  input: z.string().max(256 * 1024),
  startedAt: ZTimestamp,
  endedAt: ZTimestamp.nullable(),
  outcome: ZTurnOutcome.nullable(),
});
export type TRunTurn = z.infer<typeof ZRunTurn>;

export const ZRun = z.object({
  id: ZRunId,
  type: z.literal("run"),
  workspaceId: ZWorkspaceId,
  profileId: ZProfileId,
  profileName: z.string(),
  startedBy: z.object({ userId: ZUserId, email: z.string() }),
  status: ZRunStatus,
  sandboxId: ZSandboxId.nullable(),
  placement: ZRunPlacement,
  turns: z.array(ZRunTurn),
  /** The highest event seq stored for this run; 0 before the first event. */
  lastSeq: z.number().int().nonnegative(),
  /** Why the newest turn could not start (no sandbox, the host dropped, …), in words for the person; null when it did. */
  failure: z.string().max(2000).nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type TRun = z.infer<typeof ZRun>;

/** A run as listed: everything but the turns' inputs, which can be large. */
export const ZRunSummary = ZRun.omit({ turns: true, type: true }).extend({ turnCount: z.number().int().nonnegative() });
export type TRunSummary = z.infer<typeof ZRunSummary>;

/** How an event is kept: the event itself, plus its id in the run's partition. */
export const runEventDocumentId = (seq: number) => String(seq).padStart(10, "0");
