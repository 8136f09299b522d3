import { type AnsiSegment, type AnsiState, INITIAL_ANSI_STATE, parseAnsi, sameStyle } from "./ansi";

export type OutputStream = "stdout" | "stderr";

export interface TerminalLine {
  segments: readonly AnsiSegment[];
  /** The stream that wrote the line's first text; stderr lines are tinted when they carry no colour of their own. */
  stream: OutputStream;
}

/**
 * A process's output as lines, built slice by slice. Slices split lines (and escape sequences)
 * anywhere, so the last line stays open until its newline comes. Like a terminal, a lone carriage
 * return starts the line over (progress bars), and each stream keeps its own colour state.
 */
export interface TerminalBuffer {
  lines: readonly TerminalLine[];
  /** Whether the last line still takes text (no newline yet). */
  open: boolean;
  /** A carriage return ended the last slice: the next character decides whether it was CR LF. */
  pendingReturn: boolean;
  ansi: Readonly<Record<OutputStream, AnsiState>>;
  /** Lines dropped from the top to keep the panel bounded. */
  dropped: number;
}

export const EMPTY_TERMINAL: TerminalBuffer = Object.freeze({
  lines: [],
  open: false,
  pendingReturn: false,
  ansi: { stdout: INITIAL_ANSI_STATE, stderr: INITIAL_ANSI_STATE },
  dropped: 0,
});

/** A turn's panel holds at most this many lines; older ones go, and the panel says how many. */
export const MAX_TERMINAL_LINES = 10_000;

function appendText(segments: AnsiSegment[], segment: AnsiSegment): void {
  const last = segments.at(-1);
  if (last && sameStyle(last.style, segment.style)) segments[segments.length - 1] = { text: last.text + segment.text, style: last.style };
  else segments.push(segment);
}

export function appendOutput(buffer: TerminalBuffer, stream: OutputStream, text: string): TerminalBuffer {
  const parsed = parseAnsi(text, buffer.ansi[stream]);
  const lines = buffer.lines.slice();
  let open = buffer.open;
  let pendingReturn = buffer.pendingReturn;
  // The open line's segments, copied on first write so earlier buffers stay as they were.
  let current: AnsiSegment[] | undefined;

  const openLine = (): AnsiSegment[] => {
    if (!current) {
      if (open) {
        const last = lines[lines.length - 1]!;
        current = last.segments.slice();
        lines[lines.length - 1] = { ...last, segments: current };
      } else {
        current = [];
        lines.push({ stream, segments: current });
        open = true;
      }
    }
    return current;
  };
  const newline = () => {
    openLine();
    open = false;
    current = undefined;
  };
  const carriageReturn = () => {
    // Start the line over: the text after it replaces the text before.
    if (!open) return;
    current = [];
    lines[lines.length - 1] = { ...lines[lines.length - 1]!, segments: current };
  };

  for (const segment of parsed.segments) {
    const parts = segment.text.split(/(\r\n|\r|\n)/);
    for (const part of parts) {
      if (part === "") continue;
      if (pendingReturn) {
        pendingReturn = false;
        if (part === "\n" || part === "\r\n") {
          newline();
          continue;
        }
        carriageReturn();
      }
      if (part === "\n" || part === "\r\n") newline();
      else if (part === "\r") pendingReturn = true;
      else appendText(openLine(), { text: part, style: segment.style });
    }
  }

  const overflow = Math.max(0, lines.length - MAX_TERMINAL_LINES);
  return {
    lines: overflow ? lines.slice(overflow) : lines,
    open,
    pendingReturn,
    ansi: { ...buffer.ansi, [stream]: parsed.state },
    dropped: buffer.dropped + overflow,
  };
}
