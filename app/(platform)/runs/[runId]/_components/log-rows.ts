/**
 * The run's log as one list of rows, for one virtualised scroller: per turn a header, then (while
 * it is expanded) its input, its output lines (or one row saying there are none yet) and a row
 * for its outcome. Turns are few and lines many, so rows are found by arithmetic per turn, never
 * by building a row object for each of 100,000 lines.
 */
export interface TurnBlock {
  turn: number;
  expanded: boolean;
  hasInput: boolean;
  lineCount: number;
  hasOutcome: boolean;
}

export type LogRow =
  | { kind: "header"; turn: number }
  | { kind: "input"; turn: number }
  | { kind: "line"; turn: number; line: number }
  | { kind: "empty"; turn: number }
  | { kind: "outcome"; turn: number };

interface PlacedBlock extends TurnBlock {
  /** The index of the turn's header row. */
  start: number;
  /** The index of its first output line (or of its "empty" row). */
  linesStart: number;
  /** One past its last row. */
  end: number;
}

export interface LogLayout {
  blocks: readonly PlacedBlock[];
  count: number;
}

export function layoutLog(turns: readonly TurnBlock[]): LogLayout {
  let next = 0;
  const blocks = turns.map((block) => {
    const start = next;
    let rows = 1;
    if (block.expanded) rows += (block.hasInput ? 1 : 0) + Math.max(1, block.lineCount) + (block.hasOutcome ? 1 : 0);
    next += rows;
    return { ...block, start, linesStart: start + 1 + (block.hasInput ? 1 : 0), end: next };
  });
  return { blocks, count: next };
}

function blockAt(layout: LogLayout, index: number): PlacedBlock | undefined {
  let low = 0;
  let high = layout.blocks.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const block = layout.blocks[middle]!;
    if (index < block.start) high = middle - 1;
    else if (index >= block.end) low = middle + 1;
    else return block;
  }
  return undefined;
}

export function rowAt(layout: LogLayout, index: number): LogRow | undefined {
  const block = blockAt(layout, index);
  if (!block) return undefined;
  const { turn } = block;
  if (index === block.start) return { kind: "header", turn };
  if (index < block.linesStart) return { kind: "input", turn };
  const line = index - block.linesStart;
  if (line < Math.max(1, block.lineCount)) return block.lineCount === 0 ? { kind: "empty", turn } : { kind: "line", turn, line };
  return { kind: "outcome", turn };
}

/** The row of a turn's output line; undefined while the turn is collapsed. */
export function indexOfLine(layout: LogLayout, turn: number, line: number): number | undefined {
  const block = layout.blocks.find((candidate) => candidate.turn === turn);
  if (!block?.expanded || line >= block.lineCount) return undefined;
  return block.linesStart + line;
}

/** A stable key per row, so a row keeps its measured height as rows are added above or below it. */
export function rowKey(row: LogRow): string {
  return row.kind === "line" ? `${row.turn}:${row.line}` : `${row.turn}:${row.kind}`;
}
