import { AnsiDecoder, type AnsiSegment, sameStyle } from "./ansi";

export type OutputStream = "stdout" | "stderr";

export interface TerminalLine {
  segments: readonly AnsiSegment[];
  /** The line without its colours: what search reads and copy and download write. */
  text: string;
  /** The stream that wrote the line's first text; stderr lines are tinted when they carry no colour of their own. */
  stream: OutputStream;
  /** When the line's first text was written (the event's `at`). */
  at: string;
}

/**
 * A process's output as lines, built slice by slice. Slices split lines (and escape sequences)
 * anywhere, so the last line stays open until its newline comes. Like a terminal, a lone carriage
 * return starts the line over (progress bars), and each stream keeps its own colour state.
 *
 * Every line is kept (the page virtualises them, so 100,000 lines cost only the rows on screen),
 * and lines are appended in place: copying the array per slice would cost the whole turn's length
 * for every event, and a long turn arrives in thousands of slices. So a buffer is owned by one
 * fold (one page's event log), and `version` changes whenever its lines do, for memoised views.
 */
export interface TerminalBuffer {
  readonly lines: TerminalLine[];
  /** Bumped by every append that changed a line. */
  version: number;
  /** Whether the last line still takes text (no newline yet). */
  open: boolean;
  /** A carriage return ended the last slice: the next character decides whether it was CR LF. */
  pendingReturn: boolean;
  readonly decoders: Readonly<Record<OutputStream, AnsiDecoder>>;
}

export function newTerminal(): TerminalBuffer {
  return { lines: [], version: 0, open: false, pendingReturn: false, decoders: { stdout: new AnsiDecoder(), stderr: new AnsiDecoder() } };
}

function lineOf(segments: readonly AnsiSegment[], stream: OutputStream, at: string): TerminalLine {
  return { segments, text: segments.map((segment) => segment.text).join(""), stream, at };
}

/** Appends one slice, changing `buffer` in place; returns a new handle on it so views see the change. */
export function appendOutput(buffer: TerminalBuffer, stream: OutputStream, text: string, at: string): TerminalBuffer {
  const { lines } = buffer;
  let { open, pendingReturn } = buffer;
  // The open line's segments, gathered here and written back once at the end of the slice.
  let current: AnsiSegment[] | undefined;
  let currentLine: TerminalLine | undefined;

  const commit = () => {
    if (current && currentLine) lines[lines.length - 1] = lineOf(current, currentLine.stream, currentLine.at);
  };
  const openLine = (): AnsiSegment[] => {
    if (!current) {
      if (open) {
        currentLine = lines[lines.length - 1]!;
        current = currentLine.segments.slice();
      } else {
        currentLine = lineOf([], stream, at);
        lines.push(currentLine);
        current = [];
        open = true;
      }
    }
    return current;
  };
  const newline = () => {
    openLine();
    commit();
    open = false;
    current = undefined;
    currentLine = undefined;
  };
  const carriageReturn = () => {
    // Start the line over: the text after it replaces the text before.
    if (!open) return;
    openLine().length = 0;
  };
  const write = (segment: AnsiSegment) => {
    const segments = openLine();
    const last = segments.at(-1);
    if (last && sameStyle(last.style, segment.style)) segments[segments.length - 1] = { text: last.text + segment.text, style: last.style };
    else segments.push(segment);
  };

  for (const segment of buffer.decoders[stream].decode(text)) {
    for (const part of segment.text.split(/(\r\n|\r|\n)/)) {
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
      else write({ text: part, style: segment.style });
    }
  }
  commit();
  return { ...buffer, version: buffer.version + 1, open, pendingReturn };
}
