/**
 * A small ANSI → styled segments converter for process output: SGR colours (30–37, 90–97
 * foreground; 40–47, 100–107 background), bold, and resets. Every other escape sequence (cursor
 * moves, OSC titles and links, charset switches) is dropped. Output arrives in arbitrary slices,
 * so a sequence cut off at the end of one slice is held in the state and finished by the next.
 */

export const ANSI_COLORS = [
  "black",
  "red",
  "green",
  "yellow",
  "blue",
  "magenta",
  "cyan",
  "white",
  "brightBlack",
  "brightRed",
  "brightGreen",
  "brightYellow",
  "brightBlue",
  "brightMagenta",
  "brightCyan",
  "brightWhite",
] as const;
export type AnsiColor = (typeof ANSI_COLORS)[number];

export interface AnsiStyle {
  fg: AnsiColor | null;
  bg: AnsiColor | null;
  bold: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export interface AnsiState {
  style: AnsiStyle;
  /** The unfinished escape sequence at the end of the last slice. */
  pending: string;
}

export const PLAIN: AnsiStyle = Object.freeze({ fg: null, bg: null, bold: false });
export const INITIAL_ANSI_STATE: AnsiState = Object.freeze({ style: PLAIN, pending: "" });

const ESC = "\u001b";
const BEL = "\u0007";
/** A held sequence longer than this is not one a terminal would finish: it is dropped as noise. */
const MAX_PENDING = 4096;
// C0 controls other than tab, newline and carriage return (which the line buffer reads) and ESC.
const STRAY_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/g;

export function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold;
}

/** Parses one slice of output, continuing from `state`. */
export function parseAnsi(chunk: string, state: AnsiState = INITIAL_ANSI_STATE): { segments: AnsiSegment[]; state: AnsiState } {
  const input = state.pending + chunk;
  const segments: AnsiSegment[] = [];
  let style = state.style;
  let index = 0;

  const emit = (text: string) => {
    const clean = text.replace(STRAY_CONTROLS, "");
    if (!clean) return;
    const last = segments.at(-1);
    if (last && sameStyle(last.style, style)) last.text += clean;
    else segments.push({ text: clean, style });
  };

  while (index < input.length) {
    const escape = input.indexOf(ESC, index);
    if (escape === -1) {
      emit(input.slice(index));
      index = input.length;
      break;
    }
    emit(input.slice(index, escape));
    const end = sequenceEnd(input, escape);
    if (end === -1) {
      const pending = input.slice(escape);
      return { segments, state: { style, pending: pending.length > MAX_PENDING ? "" : pending } };
    }
    const sequence = input.slice(escape, end);
    if (sequence.startsWith(`${ESC}[`) && sequence.endsWith("m")) style = applySgr(style, sequence.slice(2, -1));
    index = end;
  }
  return { segments, state: { style, pending: "" } };
}

/** Where the escape sequence starting at `start` ends (exclusive), or -1 when the slice ends first. */
function sequenceEnd(input: string, start: number): number {
  const kind = input[start + 1];
  if (kind === undefined) return -1;
  if (kind === "[") {
    // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, then one final byte 0x40–0x7E.
    for (let i = start + 2; i < input.length; i += 1) {
      const code = input.charCodeAt(i);
      if (code >= 0x40 && code <= 0x7e) return i + 1;
      if (code < 0x20 || code > 0x3f) return i; // malformed: drop what was read, keep the rest as text
    }
    return -1;
  }
  if (kind === "]" || kind === "P" || kind === "_" || kind === "^") {
    // OSC, DCS, APC, PM: a string ended by BEL or ST (ESC \).
    for (let i = start + 2; i < input.length; i += 1) {
      if (input[i] === BEL) return i + 1;
      if (input[i] === ESC) {
        if (i + 1 >= input.length) return -1;
        if (input[i + 1] === "\\") return i + 2;
      }
    }
    return -1;
  }
  // Two-character escapes, possibly with intermediates (e.g. ESC ( B picks a charset).
  for (let i = start + 1; i < input.length; i += 1) {
    const code = input.charCodeAt(i);
    if (code < 0x20) return i; // a control character cannot end it: drop the escape, keep the control
    if (code > 0x2f) return i + 1;
  }
  return -1;
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  // Only plain numeric SGR lists are read; private forms (`ESC[?…m`, `ESC[>…m`) change nothing.
  if (!/^[\d;:]*$/.test(params)) return current;
  const codes = params === "" ? [0] : params.split(/[;:]/).map((part) => (part === "" ? 0 : Number(part)));
  let style = { ...current };
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (code === 0) style = { ...PLAIN };
    else if (code === 1) style.bold = true;
    else if (code === 22) style.bold = false;
    else if (code >= 30 && code <= 37) style.fg = ANSI_COLORS[code - 30]!;
    else if (code >= 90 && code <= 97) style.fg = ANSI_COLORS[code - 90 + 8]!;
    else if (code === 39) style.fg = null;
    else if (code >= 40 && code <= 47) style.bg = ANSI_COLORS[code - 40]!;
    else if (code >= 100 && code <= 107) style.bg = ANSI_COLORS[code - 100 + 8]!;
    else if (code === 49) style.bg = null;
    else if (code === 38 || code === 48) {
      // 256-colour (5;n) and true-colour (2;r;g;b) are skipped whole, so their numbers are not read as codes.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
  return style;
}
