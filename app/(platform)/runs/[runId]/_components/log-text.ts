/** A turn as plain text, for copy and download: what it printed, without its colours. */
export interface TurnText {
  turn: number;
  input: string | null;
  lines: readonly { text: string }[];
}

export function turnOutputText(turn: Pick<TurnText, "lines">): string {
  return turn.lines.length === 0 ? "" : `${turn.lines.map((line) => line.text).join("\n")}\n`;
}

/** The whole run: each turn under a header with its input, as a reader of a .log file would want it. */
export function runLogText(turns: readonly TurnText[]): string {
  return turns
    .map((turn) => {
      const input = turn.input === null ? "" : `${turn.input.split("\n").map((line) => `$ ${line}`).join("\n")}\n`;
      return `=== Turn ${turn.turn} ===\n${input}${turnOutputText(turn)}`;
    })
    .join("\n");
}
