import { z } from "zod";
import { ZTimestamp } from "./ids";
import { ZRunEvent, ZRunId, ZSandboxId, ZTurnOutcome } from "./run-event";

/**
 * The platform ↔ sidecar contract. The sidecar is hub user `sandbox:<id>` with no roles: it can
 * send events to the platform and receive what the platform sends it, nothing else. Commands and
 * replies travel in the channel envelope (channel-envelope.ts), like the operators'; run events
 * go up as user events named SIDECAR_EVENTS.runEvents, each a batch (ZRunEventBatch) in seq order.
 */
export const sandboxUserId = (sandboxId: string) => `sandbox:${sandboxId}`;
export const ZSandboxUserId = z.templateLiteral(["sandbox:", ZSandboxId]);

export const SIDECAR_EVENTS = { runEvents: "run-events" } as const;

/**
 * Run events travel in batches: whatever piled up while the previous batch was acknowledged,
 * up to these bounds (well under the hub's 1 MiB frame), so a chatty agent costs one round trip
 * and one run update per batch rather than per line.
 */
export const RUN_EVENT_BATCH = { maxEvents: 1_000, maxChars: 512 * 1024 } as const;
export const ZRunEventBatch = z.array(ZRunEvent).min(1).max(RUN_EVENT_BATCH.maxEvents);

/** A sidecar's token lasts this long; the platform pushes a fresh one this long before it lapses. */
export const SIDECAR_TOKEN_MINUTES = 10;
export const SIDECAR_REFRESH_BEFORE_SECONDS = 120;

/** The sidecar's settings, from its environment (set by the provider that starts the sandbox). */
export const SIDECAR_ENV = {
  sandboxId: "DISCOPARROT_SANDBOX_ID",
  /** A file holding the current client access URL; read at every connect, rewritten on refresh. */
  accessUrlFile: "DISCOPARROT_ACCESS_URL_FILE",
  workspaceDir: "DISCOPARROT_WORKSPACE_DIR",
  /** Append-only JSON-lines log of every event emitted, kept in the sandbox. */
  eventLog: "DISCOPARROT_EVENT_LOG",
  agent: "DISCOPARROT_AGENT",
  /** For the `command` agent: the CLI to run for each turn (the turn's input arrives on stdin). */
  agentCommand: "DISCOPARROT_AGENT_COMMAND",
} as const;

export const AGENT_KINDS = ["shell", "command"] as const;
export const ZAgentKind = z.enum(AGENT_KINDS);
export type TAgentKind = z.infer<typeof ZAgentKind>;

export const SIDECAR_COMMANDS = {
  health: "sandbox.health",
  turnStart: "turn.start",
  turnCancel: "turn.cancel",
  eventsReplay: "events.replay",
  filesRead: "files.read",
  filesWrite: "files.write",
  processRun: "process.run",
  tokenRefresh: "token.refresh",
  /** Stop for good: the sandbox's workload cannot be removed by its host (the host deleted, its operator away), so it ends itself. */
  shutdown: "sandbox.shutdown",
} as const;

/** A path inside the sandbox's workspace: relative, no `..`. */
export const ZWorkspacePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => !value.startsWith("/") && !value.split(/[\\/]/).includes(".."), { message: "Paths are relative to the workspace, without .." });

export const ZConversationTurn = z.object({ turn: z.number().int().min(1), input: z.string(), outcome: ZTurnOutcome.nullable() });

export const ZTurnStart = z.object({
  runId: ZRunId,
  turn: z.number().int().min(1),
  input: z.string().max(256 * 1024),
  /** Every earlier turn of the run, so an agent can continue after an interruption. */
  conversation: z.array(ZConversationTurn),
  /**
   * The run's highest stored seq: this turn's events are numbered after it (and after anything
   * in the sidecar's own log), so a run that moves to a new sandbox keeps one unbroken sequence.
   */
  afterSeq: z.number().int().min(0).default(0),
});
/** `repeated`: the sandbox had this turn already (running, or run) and did not start it again. */
export const ZTurnStartReply = z.object({ accepted: z.literal(true), repeated: z.boolean().optional() });

export const ZTurnCancel = z.object({ runId: ZRunId, turn: z.number().int().min(1) });
export const ZTurnCancelReply = z.object({ cancelled: z.boolean() });

/** Send again, as run events, every event of the run after `afterSeq`. */
/** The run's logged events after `afterSeq` again, up to `throughSeq` when given (a hole's end). */
export const ZEventsReplay = z.object({ runId: ZRunId, afterSeq: z.number().int().min(0), throughSeq: z.number().int().min(1).optional() });
export const ZEventsReplayReply = z.object({ sent: z.number().int().nonnegative(), lastSeq: z.number().int().nonnegative() });

export const ZFilesRead = z.object({ path: ZWorkspacePath });
export const ZFilesReadReply = z.object({ path: z.string(), base64: z.string(), bytes: z.number().int().nonnegative() });
export const ZFilesWrite = z.object({ path: ZWorkspacePath, base64: z.string() });
export const ZFilesWriteReply = z.object({ bytes: z.number().int().nonnegative() });

export const ZSandboxHealthReply = z.object({
  sandboxId: ZSandboxId,
  agent: ZAgentKind,
  busy: z.boolean(),
  /** The highest sequence number in the sidecar's event log, per run it has seen. */
  lastSeq: z.record(z.string(), z.number().int().nonnegative()),
});

export const ZTokenRefresh = z.object({ url: z.url(), expiresAt: ZTimestamp });
/**
 * `persisted` false: the sidecar keeps the URL in memory only (its file is a read-only mount, as a
 * Kubernetes Secret volume is), so the platform also has the host put it in the file, for a
 * sidecar process that restarts. Sidecars from before the flag always wrote the file.
 */
export const ZTokenRefreshReply = z.object({ refreshed: z.literal(true), persisted: z.boolean().default(true) });
export const ZSandboxShutdownReply = z.object({ stopping: z.literal(true) });

/** `process.run`: a shell command in the workspace, outside any run, answered once it ends (output capped, `truncated` says so). */
export const ZProcessRun = z.object({ command: z.string().min(1).max(64 * 1024) });
export const ZProcessRunReply = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
});

/** The error codes a sidecar answers with, besides COMMAND_ERROR's. */
export const SIDECAR_ERRORS = {
  busy: "busy",
  invalidInput: "invalid_input",
  outsideWorkspace: "outside_workspace",
  notFound: "not_found",
  notAFile: "not_a_file",
  tooLarge: "too_large",
  replayIncomplete: "replay_incomplete",
} as const;
