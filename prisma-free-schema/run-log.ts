import { z } from "zod";
import { ZWorkspaceId } from "./ids";
import { ZRunTurn } from "./run";
import { ZRunEvent, ZRunId } from "./run-event";

/**
 * A run's log: everything a run accumulates lives in the run's own partition of the runEvents
 * container (partition key /runId), so the run document stays small and one transactional batch
 * can store a sidecar's batch of events together with the marker of what is stored.
 *  - events: one document per event, id = the seq zero-padded, so storing is idempotent on (run, seq);
 *  - turns: one document per turn, id `turn-<n>`, holding its input and outcome;
 *  - progress: one document, id `progress`, the run's contiguous watermark and what is stored past it.
 * Turns and progress have no `seq`, so the events query (`c.seq > @after`) never matches them.
 */
export const runEventDocumentId = (seq: number) => String(seq).padStart(10, "0");
export const runTurnDocumentId = (turn: number) => `turn-${String(turn).padStart(10, "0")}`;
export const RUN_PROGRESS_ID = "progress";

/** An event as stored: the event as the sidecar sent it, plus its id. */
export const ZRunEventDocument = z.intersection(ZRunEvent, z.object({ id: z.string() }));

export const ZRunTurnDocument = ZRunTurn.extend({
  id: z.string(),
  type: z.literal("turn"),
  runId: ZRunId,
  workspaceId: ZWorkspaceId,
});
export type TRunTurnDocument = z.infer<typeof ZRunTurnDocument>;

/** Inclusive ranges of seqs, sorted, disjoint and not touching. */
export const ZSeqRanges = z.array(z.tuple([z.number().int().min(1), z.number().int().min(1)]));
export type TSeqRanges = z.infer<typeof ZSeqRanges>;

/**
 * Which of a run's events are stored. `contiguousSeq` is the watermark: every event 1..it is
 * stored, or was given up as lost (`lost`: its sandbox, and the log that held it, are gone).
 * `storedAbove` are the ranges stored past a hole (a batch that arrived before the one the
 * sidecar sent earlier); while it is not empty the platform asks the sidecar to replay the hole.
 * Written in the same transactional batch as the events it describes, so it never lies.
 */
export const ZRunProgress = z.object({
  id: z.literal(RUN_PROGRESS_ID),
  type: z.literal("progress"),
  runId: ZRunId,
  workspaceId: ZWorkspaceId,
  contiguousSeq: z.number().int().nonnegative(),
  storedAbove: ZSeqRanges,
  /** Whether `storedAbove` is not empty, kept as a field so the periodic sweep can query for it. */
  hasHoles: z.boolean(),
  /** Holes given up on, because nothing can send them any more. */
  lost: ZSeqRanges.default([]),
  updatedAt: z.string(),
});
export type TRunProgress = z.infer<typeof ZRunProgress>;
