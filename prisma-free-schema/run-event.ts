import { z } from "zod";
import { ZTimestamp } from "./ids";

/**
 * What happens in a run, as the sidecar emits it and the platform stores and streams it. Each
 * event has a per-run sequence number assigned by the sidecar (1, 2, 3, … with no gaps), so the
 * store can be idempotent on (run, seq) and a replay never duplicates.
 */
export const ZRunId = z.string().regex(/^run_[a-z0-9]{20}$/, { message: "Must be a run_… id" });
export const ZSandboxId = z.string().regex(/^sbx_[a-z0-9]{20}$/, { message: "Must be a sbx_… id" });

export const TURN_OUTCOMES = ["succeeded", "failed", "cancelled"] as const;
export const ZTurnOutcome = z.enum(TURN_OUTCOMES);
export type TTurnOutcome = z.infer<typeof ZTurnOutcome>;

/** Output is sent in slices of at most this many characters. */
export const OUTPUT_CHUNK_CHARS = 16 * 1024;

const ZTurnStarted = z.object({ kind: z.literal("turn.started"), input: z.string().max(256 * 1024) });
/** A slice of a process's output, as written (ANSI colours kept). */
const ZOutput = z.object({ kind: z.literal("output"), stream: z.enum(["stdout", "stderr"]), text: z.string().max(OUTPUT_CHUNK_CHARS) });
const ZFileChanged = z.object({ kind: z.literal("file.changed"), path: z.string().min(1).max(1024), change: z.enum(["created", "modified", "deleted"]) });
/** One JSON line from a `command` agent, as it printed it. */
const ZAgentLine = z.object({ kind: z.literal("agent"), payload: z.record(z.string(), z.unknown()) });
const ZProcessExited = z.object({ kind: z.literal("process.exited"), exitCode: z.number().int().nullable(), signal: z.string().max(32).nullable() });
const ZTurnEnded = z.object({ kind: z.literal("turn.ended"), outcome: ZTurnOutcome, exitCode: z.number().int().nullable(), durationMs: z.number().int().nonnegative() });

export const ZRunEventBody = z.discriminatedUnion("kind", [ZTurnStarted, ZOutput, ZFileChanged, ZAgentLine, ZProcessExited, ZTurnEnded]);
export type TRunEventBody = z.infer<typeof ZRunEventBody>;

/** Where an event belongs: its run, its number in the run, its turn, and when it happened. */
const HEADER = {
  runId: ZRunId,
  seq: z.number().int().min(1),
  turn: z.number().int().min(1),
  at: ZTimestamp,
};

/**
 * An event: one object schema per kind (the header's fields and the body's) rather than
 * header ∩ body, so parsing picks the one schema to run by `kind`: the pipeline parses tens of
 * thousands a second.
 */
export const ZRunEvent = z.discriminatedUnion("kind", [
  ZTurnStarted.extend(HEADER),
  ZOutput.extend(HEADER),
  ZFileChanged.extend(HEADER),
  ZAgentLine.extend(HEADER),
  ZProcessExited.extend(HEADER),
  ZTurnEnded.extend(HEADER),
]);
export type TRunEvent = z.infer<typeof ZRunEvent>;
