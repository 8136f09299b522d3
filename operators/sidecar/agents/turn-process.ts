import { SIDECAR_ENV } from "@/prisma-free-schema";
import type { AgentTurn, AgentTurnResult } from "./agent-adapter";
import { outputChunks } from "./output-chunks";
import { runProcessGroup } from "./process-group";
import { changesBetween, snapshotWorkspace } from "./workspace-snapshot";

/**
 * What every process-backed turn does around its process: note the workspace before, run the
 * process in its own group in the workspace, report its output, then the files it changed and
 * how it exited. The outcome is `cancelled` when the turn was cancelled (whatever the exit code),
 * else `succeeded` on exit 0 and `failed` otherwise.
 */
export interface TurnProcess {
  command: string;
  args: string[];
  stdin?: string;
  /** Where stdout goes; by default it is reported as `output` as it comes. */
  onStdout?(text: string): void;
  /** Called once stdout has ended, for a reader holding a partial line. */
  onStdoutEnd?(): void;
}

/** file.changed's limit on a path. */
const MAX_PATH_CHARS = 1024;

export async function runTurnProcess(turn: AgentTurn, spec: TurnProcess): Promise<AgentTurnResult> {
  const before = await snapshotWorkspace(turn.workspaceDir);
  const emitOutput = (stream: "stdout" | "stderr", text: string) => {
    for (const chunk of outputChunks(text)) turn.emit({ kind: "output", stream, text: chunk });
  };
  const exit = await runProcessGroup({
    command: spec.command,
    args: spec.args,
    cwd: turn.workspaceDir,
    stdin: spec.stdin,
    env: agentEnv(),
    signal: turn.signal,
    onOutput: (stream, text) => (stream === "stdout" && spec.onStdout ? spec.onStdout(text) : emitOutput(stream, text)),
  });
  spec.onStdoutEnd?.();

  for (const change of changesBetween(before, await snapshotWorkspace(turn.workspaceDir))) {
    if (change.path.length <= MAX_PATH_CHARS) turn.emit({ kind: "file.changed", ...change });
  }
  turn.emit({ kind: "process.exited", exitCode: exit.exitCode, signal: exit.signal });
  const outcome = turn.signal.aborted ? "cancelled" : exit.exitCode === 0 ? "succeeded" : "failed";
  return { outcome, exitCode: exit.exitCode };
}

/** The agent's environment: the sidecar's, without where its channel credentials and log live. */
function agentEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[SIDECAR_ENV.accessUrlFile];
  delete env[SIDECAR_ENV.eventLog];
  return env;
}
