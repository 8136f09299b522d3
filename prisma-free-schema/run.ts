import { z } from "zod";
import { RUN_STATUSES } from "./vocabulary/runs";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZHostId } from "./host";
import { ZProfileId } from "./profile";
import { ZRunId, ZSandboxId, ZTurnOutcome } from "./run-event";

/**
 * A run: one conversation with an agent in a sandbox, kept by the platform so it survives a
 * restart. The run document itself stays small whatever the run's length: its turns (inputs and
 * outcomes) and its events live in the run's own partition of the runEvents container, beside a
 * progress marker that says which events are stored (see run-log.ts).
 *
 * Statuses, kept to what the platform can actually observe:
 * - starting: the sandbox is being prepared, no turn has begun;
 * - running: a turn is in progress;
 * - idle: the last turn ended, the run waits for the next one;
 * - failed: the sandbox could not be started or was lost;
 * - ended: closed by a person (or by cleanup); no more turns.
 * A cancelled turn is a turn outcome, not a run status.
 */
export { RUN_STATUSES, turnRunning, type TRunStatus } from "./vocabulary/runs";

export const ZRunStatus = z.enum(RUN_STATUSES);

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

/** A turn as people see it: what was asked, when, and how it ended. */
export const ZRunTurn = z.object({
  turn: z.number().int().min(1),
  input: z.string().max(256 * 1024),
  startedAt: ZTimestamp,
  endedAt: ZTimestamp.nullable(),
  outcome: ZTurnOutcome.nullable(),
});
export type TRunTurn = z.infer<typeof ZRunTurn>;

/** A turn's start as intent in the store: see `turnStart` on the run. */
export const ZTurnStartIntent = z.object({
  phase: z.enum(["queued", "dispatching", "acknowledged"]),
  until: ZTimestamp.nullable(),
  holder: z.string().max(100).nullable().default(null),
  attempts: z.number().int().nonnegative().default(0),
  lastError: z.string().max(2000).nullable().default(null),
});
export type TTurnStartIntent = z.infer<typeof ZTurnStartIntent>;

/** The newest turn without its input: what the run document keeps of its turns. */
export const ZRunTurnSummary = ZRunTurn.omit({ input: true });
export type TRunTurnSummary = z.infer<typeof ZRunTurnSummary>;

/** How much of the first turn's input a run keeps for the list (UTF-16 units, as JavaScript counts). */
export const FIRST_INPUT_SNIPPET = 300;

/** The first turn's snippet as the run keeps it: never ending in half a surrogate pair. */
export function firstInputSnippet(input: string): string {
  const cut = input.slice(0, FIRST_INPUT_SNIPPET);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

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
  /** How many turns the run has had; each one is its own document (ZRunTurnDocument). */
  turnCount: z.number().int().nonnegative().default(0),
  /**
   * The start of the first turn's input (FIRST_INPUT_SNIPPET characters at most), written with
   * the run itself, so the runs list can show and search it without reading the turns; null on
   * runs saved before it was kept.
   */
  firstInput: z.string().max(FIRST_INPUT_SNIPPET).nullable().default(null),
  /** The newest turn, for lists and for telling whether a turn is running; null before the first. */
  lastTurn: ZRunTurnSummary.nullable().default(null),
  /** Why the newest turn could not start (no sandbox, the host dropped, …), in words for the person; null when it did. */
  failure: z.string().max(2000).nullable(),
  /**
   * How far the running turn's start has got, the intent a reconciler drives
   * (server/services/runs/turn-start-reconciler.ts): "queued" when a person sent the turn (and
   * again, with `until` as the earliest retry, after an attempt that may succeed if tried again);
   * "dispatching" while one process (`holder`) readies the sandbox and hands the sidecar the turn,
   * under a lease (`until`) it renews as it works, so a dispatch whose process died is claimed
   * again once the lease lapses; "acknowledged" once the sidecar took it. Null with no turn
   * running (the turn ended). `attempts` counts claims, `lastError` says in words why the last
   * one did not get through.
   */
  turnStart: ZTurnStartIntent.nullable().default(null),
  /** Its sandbox was paused for being idle, at this time; the next turn resumes it. Null while it runs. */
  pausedAt: ZTimestamp.nullable().default(null),
  /** The last time a turn resumed its paused sandbox, and how long that took. */
  resumed: z.object({ at: ZTimestamp, ms: z.number().int().nonnegative() }).nullable().default(null),
  /** Why it ended when no person ended it (idle too long), in words for the person; null otherwise. */
  endedReason: z.string().max(500).nullable().default(null),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type TRun = z.infer<typeof ZRun>;

/** A run as its page shows it: the run, every turn, and the highest event seq stored with none missing before it. */
export const ZRunDetail = ZRun.extend({ turns: z.array(ZRunTurn), lastSeq: z.number().int().nonnegative() });
export type TRunDetail = z.infer<typeof ZRunDetail>;

/** A run as listed. */
export const ZRunSummary = ZRun.omit({ type: true });
export type TRunSummary = z.infer<typeof ZRunSummary>;

