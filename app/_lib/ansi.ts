import Anser from "anser";

/**
 * Process output's ANSI colours as styled segments, through anser (SGR: the 16 colours, the
 * 256-colour palette, 24-bit true colour, bold/dim/italic/underline/strikethrough). anser reads
 * whole strings, so this adds what a stream needs: a sequence cut off at the end of one slice is
 * held until the next, the colour in force carries over to the next slice, and the escapes anser
 * does not read (OSC titles and links, charset switches) are dropped rather than shown.
 */

/** The 16 colours by the names anser gives them ("ansi-red", "ansi-bright-red" without the prefix). */
export const BASIC_COLORS = [
  "black",
  "red",
  "green",
  "yellow",
  "blue",
  "magenta",
  "cyan",
  "white",
  "bright-black",
  "bright-red",
  "bright-green",
  "bright-yellow",
  "bright-blue",
  "bright-magenta",
  "bright-cyan",
  "bright-white",
] as const;
export type BasicColor = (typeof BASIC_COLORS)[number];

/** One of the 16 (shown through the page's palette) or an exact colour (`rgb(r, g, b)`) from the 256 palette or true colour. */
export type AnsiColor = BasicColor | `rgb(${string})`;

export interface AnsiStyle {
  fg: AnsiColor | null;
  bg: AnsiColor | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export const PLAIN: AnsiStyle = Object.freeze({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, strike: false });

export function isBasicColor(color: AnsiColor): color is BasicColor {
  return !color.startsWith("rgb(");
}

export function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline && a.strike === b.strike;
}

/** xterm's 256-colour palette above the 16: a 6×6×6 cube, then 24 greys. */
export function paletteColor(index: number): `rgb(${string})` {
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  const cube = index - 16;
  const level = (step: number) => (step === 0 ? 0 : 55 + step * 40);
  return `rgb(${level(Math.floor(cube / 36))}, ${level(Math.floor(cube / 6) % 6)}, ${level(cube % 6)})`;
}

/** What anser remembers between calls (its fields, not in its typings). */
interface AnserState {
  fg: string | null;
  bg: string | null;
  fg_truecolor: string | null;
  bg_truecolor: string | null;
  decorations: string[];
}

function colorOf(value: string | null, truecolor: string | null): AnsiColor | null {
  if (!value) return null;
  if (value === "ansi-truecolor") return truecolor ? `rgb(${truecolor})` : null;
  const palette = /^ansi-palette-(\d+)$/.exec(value);
  if (palette) return paletteColor(Number(palette[1]));
  const name = value.replace(/^ansi-/, "");
  return (BASIC_COLORS as readonly string[]).includes(name) ? (name as BasicColor) : null;
}

function styleOf(fg: string | null, bg: string | null, fgTrue: string | null, bgTrue: string | null, decorations: readonly string[]): AnsiStyle {
  return {
    fg: colorOf(fg, fgTrue),
    bg: colorOf(bg, bgTrue),
    bold: decorations.includes("bold"),
    dim: decorations.includes("dim"),
    italic: decorations.includes("italic"),
    underline: decorations.includes("underline"),
    strike: decorations.includes("strikethrough"),
  };
}

const ESC = "\u001b";
const CSI_START = /(?=\u001b\[)/;
// OSC (titles, hyperlinks) to BEL or ST, and two-character escapes (charset, keypad modes): anser reads CSI only.
const NON_CSI = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[\x20-\x2f]*[\x30-\x5a\x5c\x5e-\x7e]/g;
// C0 controls other than tab, newline and carriage return (the line buffer reads those) and ESC.
const STRAY_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/g;
/** An escape sequence at the very end of a slice that the next slice may finish. */
const UNFINISHED = /\u001b(?:\[[\x30-\x3f]*[\x20-\x2f]*|\][^\u0007\u001b]*|[\x20-\x2f]+)?$/;
/** A held sequence longer than this is not one a terminal would finish: it is dropped as noise. */
const MAX_PENDING = 4096;

/** Decodes one stream's output slice by slice; each stream (stdout, stderr) has its own. */
export class AnsiDecoder {
  private readonly anser = new Anser();
  private pending = "";

  decode(chunk: string): AnsiSegment[] {
    let input = this.pending + chunk;
    this.pending = "";
    const unfinished = UNFINISHED.exec(input);
    if (unfinished) {
      this.pending = unfinished[0].length <= MAX_PENDING ? unfinished[0] : "";
      input = input.slice(0, unfinished.index);
    }
    input = input.replace(NON_CSI, "");
    if (!input) return [];

    // One escape at a time, reading anser's state after each: within one call its entries share a
    // decorations array it keeps changing, and the text before the first escape has the colour in force.
    const state = this.anser as unknown as AnserState;
    const segments: AnsiSegment[] = [];
    for (const piece of input.split(CSI_START)) {
      const entries = this.anser.ansiToJson(piece, { use_classes: true });
      const text = entries
        .map((entry) => entry.content)
        .join("")
        .replace(STRAY_CONTROLS, "")
        .replaceAll(ESC, "");
      if (!text) continue;
      const style = styleOf(state.fg, state.bg, state.fg_truecolor, state.bg_truecolor, state.decorations);
      const last = segments.at(-1);
      if (last && sameStyle(last.style, style)) last.text += text;
      else segments.push({ text, style });
    }
    return segments;
  }
}

/** The text without its escape sequences, for search, copy and download. */
export function plainText(segments: readonly AnsiSegment[]): string {
  return segments.map((segment) => segment.text).join("");
}
