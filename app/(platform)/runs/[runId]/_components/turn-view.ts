import type { TRunDetail, TTurnOutcome } from "@/prisma-free-schema";
import type { TerminalLine } from "@/app/_lib/terminal-buffer";
import type { TurnLog } from "./run-log";

/** One turn as the log shows it: the run document's record and the events seen, merged. */
export interface TurnView {
  turn: number;
  input: string | null;
  startedAt: string | null;
  outcome: TTurnOutcome | null;
  running: boolean;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  /** Why the turn could not start (the run's `failure`, which belongs to its newest turn). */
  failure: string | null;
  lines: readonly TerminalLine[];
  /** Changes whenever `lines` does. */
  version: number;
  files: TurnLog["files"];
  agent: TurnLog["agent"];
}

const NO_LINES: readonly TerminalLine[] = [];

export function turnViews(run: TRunDetail, turns: Readonly<Record<number, TurnLog>>): TurnView[] {
  // The run can no longer go on (failed or ended): a turn without an outcome is not "running".
  const stopped = run.status === "failed" || run.status === "ended";
  // Turns from the document and from events: an event can name a turn a moment before the document does.
  const numbers = [...new Set([...run.turns.map((turn) => turn.turn), ...Object.values(turns).map((turn) => turn.turn)])].sort((a, b) => a - b);
  const newest = numbers.at(-1);
  return numbers.map((turn) => {
    const record = run.turns.find((candidate) => candidate.turn === turn);
    const log = turns[turn];
    const outcome = log?.ended?.outcome ?? record?.outcome ?? null;
    return {
      turn,
      input: record?.input ?? log?.input ?? null,
      startedAt: record?.startedAt ?? null,
      outcome,
      running: !outcome && !record?.endedAt && !stopped,
      durationMs: log?.ended?.durationMs ?? (record?.endedAt ? Date.parse(record.endedAt) - Date.parse(record.startedAt) : null),
      exitCode: log?.ended?.exitCode ?? log?.exited?.exitCode ?? null,
      signal: log?.exited?.signal ?? null,
      failure: turn === newest ? run.failure : null,
      lines: log?.terminal.lines ?? NO_LINES,
      version: log?.terminal.version ?? 0,
      files: log?.files ?? [],
      agent: log?.agent ?? [],
    };
  });
}

export function hasOutcomeRow(view: TurnView): boolean {
  return view.outcome !== null || view.failure !== null || view.files.length > 0 || view.agent.length > 0 || (!view.running && view.exitCode !== null);
}
