import type { AgentAdapter, AgentTurn } from "./agent-adapter";
import { outputChunks } from "./output-chunks";
import { runTurnProcess } from "./turn-process";

/**
 * An agent CLI of the customer's choosing (`DISCOPARROT_AGENT_COMMAND`, run by `/bin/sh -c` so it
 * may carry arguments), started once per turn in the workspace with `{input, conversation}` as
 * JSON on stdin. Each stdout line that is a JSON object is an `agent` event, as printed; any
 * other line is `output` (with its newline). stderr is `output` as it comes. Its exit ends the turn.
 */

/** A JSON line longer than this is reported as output: one run event must fit in a hub frame (1 MiB). */
const MAX_AGENT_LINE_CHARS = 256 * 1024;

export function commandAgent(command: string): AgentAdapter {
  return {
    kind: "command",
    runTurn: (turn) => {
      const lines = new LineReader((line) => emitLine(turn, line));
      return runTurnProcess(turn, {
        command: "/bin/sh",
        args: ["-c", command],
        stdin: JSON.stringify({ input: turn.input, conversation: turn.conversation }),
        onStdout: (text) => lines.write(text),
        onStdoutEnd: () => lines.end(),
      });
    },
  };
}

function emitLine(turn: AgentTurn, line: string): void {
  const payload = line.length <= MAX_AGENT_LINE_CHARS ? jsonObject(line) : undefined;
  if (payload) return turn.emit({ kind: "agent", payload });
  for (const text of outputChunks(line)) turn.emit({ kind: "output", stream: "stdout", text });
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Text in, whole lines out (each with its `\n`, the last one without if the text did not end with one). */
class LineReader {
  private partial = "";

  constructor(private readonly onLine: (line: string) => void) {}

  write(text: string): void {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    for (const part of parts) this.onLine(`${part}\n`);
  }

  end(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
  }
}
