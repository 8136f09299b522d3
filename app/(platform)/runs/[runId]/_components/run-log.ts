import type { TRunEvent, TTurnOutcome } from "@/prisma-free-schema";
import { appendOutput, newTerminal, type TerminalBuffer } from "@/app/_lib/terminal-buffer";

export type FileChange = "created" | "modified" | "deleted";

/** What the page has seen of one turn, built from the run's events. */
export interface TurnLog {
  turn: number;
  input: string | null;
  terminal: TerminalBuffer;
  /** Each path once, with its latest change, in the order first touched. */
  files: readonly { path: string; change: FileChange }[];
  agent: readonly { seq: number; payload: Record<string, unknown> }[];
  exited: { exitCode: number | null; signal: string | null } | null;
  ended: { outcome: TTurnOutcome; exitCode: number | null; durationMs: number } | null;
}

export interface RunLog {
  /** The highest seq applied: the cursor to resume from. */
  lastSeq: number;
  turns: Readonly<Record<number, TurnLog>>;
}

export const EMPTY_RUN_LOG: RunLog = Object.freeze({ lastSeq: 0, turns: {} });

function emptyTurn(turn: number): TurnLog {
  return { turn, input: null, terminal: newTerminal(), files: [], agent: [], exited: null, ended: null };
}

/**
 * Folds one event in. A turn's terminal is appended in place (see terminal-buffer.ts), so a log
 * belongs to the one fold that built it: start another from EMPTY_RUN_LOG.
 * A seq at or below the last applied is a replay (a reconnect resends from
 * the cursor, a reload from 0) and changes nothing, so the same event never shows twice.
 */
export function applyRunEvent(log: RunLog, event: TRunEvent): RunLog {
  if (event.seq <= log.lastSeq) return log;
  const turn = log.turns[event.turn] ?? emptyTurn(event.turn);
  let next: TurnLog;
  switch (event.kind) {
    case "turn.started":
      next = { ...turn, input: event.input };
      break;
    case "output":
      next = { ...turn, terminal: appendOutput(turn.terminal, event.stream, event.text, event.at) };
      break;
    case "file.changed": {
      const known = turn.files.some((file) => file.path === event.path);
      const files = known
        ? turn.files.map((file) => (file.path === event.path ? { path: file.path, change: event.change } : file))
        : [...turn.files, { path: event.path, change: event.change }];
      next = { ...turn, files };
      break;
    }
    case "agent":
      next = { ...turn, agent: [...turn.agent, { seq: event.seq, payload: event.payload }] };
      break;
    case "process.exited":
      next = { ...turn, exited: { exitCode: event.exitCode, signal: event.signal } };
      break;
    case "turn.ended":
      next = { ...turn, ended: { outcome: event.outcome, exitCode: event.exitCode, durationMs: event.durationMs } };
      break;
  }
  return { lastSeq: event.seq, turns: { ...log.turns, [event.turn]: next } };
}
