import type { AgentAdapter } from "./agent-adapter";
import { runTurnProcess } from "./turn-process";

/**
 * The simplest agent: the turn's input is a shell script, run by `/bin/sh -c` in the workspace.
 * Its output is the turn's output; its exit code, the outcome. The conversation is not used (each
 * script stands alone), which makes it the agent for trying a sandbox out and for tests.
 */
export const shellAgent: AgentAdapter = {
  kind: "shell",
  runTurn: (turn) => runTurnProcess(turn, { command: "/bin/sh", args: ["-c", turn.input] }),
};
