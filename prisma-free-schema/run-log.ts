import { z } from "zod";
import { ZWorkspaceId } from "./ids";
import { ZRunTurn } from "./run";
import { ZRunEvent, ZRunId } from "./run-event";

/**
 * A run's log: everything a run accumulates lives in the run's own partition of the runEvents
 * container (partition key /runId), so the run document stays small and one transactional batch
 * can store a sidecar's batch of events together with the marker of what is stored.
 *  - events: one document per contiguous range of seqs stored together (`events-<first seq>`),
 *    so a sidecar's batch is one document, not one per event: what the store does per document
 *    (parse, index, journal, answer) is paid once per batch. Ranges never overlap: the marker,
 *    written in the same batch, says which seqs are stored, and only those not stored are;
 *  - turns: one document per turn, id `turn-<n>`, holding its input and outcome;
 *  - progress: one document, id `progress`, the run's contiguous watermark and what is stored past it.
 * Runs logged before ranges were stored hold one document per event (id = the seq zero-padded,
 * the event's fields at the top); they are still read.
 */
export const runEventsDocumentId = (firstSeq: number) => `events-${String(firstSeq).padStart(10, "0")}`;
export const runTurnDocumentId = (turn: number) => `turn-${String(turn).padStart(10, "0")}`;
export const RUN_PROGRESS_ID = "progress";

/** A contiguous range of a run's events, firstSeq..lastSeq, in seq order. */
export const ZRunEventsDocument = z.object({
  id: z.string(),
  type: z.literal("events"),
  runId: ZRunId,
  firstSeq: z.number().int().min(1),
  lastSeq: z.number().int().min(1),
  /** The turns whose `turn.ended` is among these events, so one turn's end is found by a query. */
  turnsEnded: z.array(z.number().int()),
  events: z.array(ZRunEvent).min(1),
});
export type TRunEventsDocument = z.infer<typeof ZRunEventsDocument>;

/** An event as runs logged before ranges stored it: the event itself plus its id (the seq zero-padded). */
export const ZLegacyRunEventDocument = z.intersection(ZRunEvent, z.object({ id: z.string() }));

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
