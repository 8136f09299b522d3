import { describe, expect, it } from "vitest";
import { type AnsiSegment, INITIAL_ANSI_STATE, parseAnsi, PLAIN } from "./ansi";
import { appendOutput, EMPTY_TERMINAL, type TerminalBuffer } from "./terminal-buffer";

const ESC = "\u001b";
const red = { ...PLAIN, fg: "red" } as const;

/** Feeds slices one after another, as the run's events deliver them. */
function parseAll(chunks: string[]): AnsiSegment[] {
  let state = INITIAL_ANSI_STATE;
  const out: AnsiSegment[] = [];
  for (const chunk of chunks) {
    const parsed = parseAnsi(chunk, state);
    out.push(...parsed.segments);
    state = parsed.state;
  }
  return out;
}

function lineTexts(buffer: TerminalBuffer): string[] {
  return buffer.lines.map((line) => line.segments.map((segment) => segment.text).join(""));
}

describe("parseAnsi", () => {
  it("keeps plain text as one plain segment", () => {
    expect(parseAnsi("step 1\n").segments).toEqual([{ text: "step 1\n", style: PLAIN }]);
  });

  it("colours the foreground and background, normal and bright", () => {
    expect(parseAnsi(`${ESC}[31mred${ESC}[92mgreen${ESC}[44mon blue${ESC}[103mon yellow`).segments).toEqual([
      { text: "red", style: red },
      { text: "green", style: { ...PLAIN, fg: "brightGreen" } },
      { text: "on blue", style: { ...PLAIN, fg: "brightGreen", bg: "blue" } },
      { text: "on yellow", style: { ...PLAIN, fg: "brightGreen", bg: "brightYellow" } },
    ]);
  });

  it("sets bold with colour in one sequence and resets with 0, an empty list, 22 and 39", () => {
    expect(parseAnsi(`${ESC}[1;33mwarn${ESC}[0m ok ${ESC}[1;35mx${ESC}[22my${ESC}[39mz${ESC}[31ma${ESC}[mb`).segments).toEqual([
      { text: "warn", style: { ...PLAIN, fg: "yellow", bold: true } },
      { text: " ok ", style: PLAIN },
      { text: "x", style: { ...PLAIN, fg: "magenta", bold: true } },
      { text: "y", style: { ...PLAIN, fg: "magenta" } },
      { text: "z", style: PLAIN },
      { text: "a", style: red },
      { text: "b", style: PLAIN },
    ]);
  });

  it("strips other escape sequences: cursor moves, erase, OSC titles and links, charsets, 256 colours", () => {
    const text = `${ESC}[2K${ESC}[1Gdone${ESC}]0;title${"\u0007"} ${ESC}]8;;https://x.example${ESC}\\link${ESC}]8;;${ESC}\\ ${ESC}(Bok${ESC}[38;5;196m!${ESC}[?25l`;
    expect(parseAnsi(text).segments).toEqual([{ text: "done link ok!", style: PLAIN }]);
  });

  it("drops stray control characters but keeps tabs and newlines", () => {
    expect(parseAnsi("a\u0007b\tc\u0008\n").segments).toEqual([{ text: "ab\tc\n", style: PLAIN }]);
  });

  it("finishes a sequence split across slices, wherever it is cut", () => {
    const whole = `before ${ESC}[1;31mred${ESC}[0m after`;
    const expected = [
      { text: "before ", style: PLAIN },
      { text: "red", style: { ...red, bold: true } },
      { text: " after", style: PLAIN },
    ];
    for (let cut = 1; cut < whole.length; cut += 1) {
      const merged = parseAll([whole.slice(0, cut), whole.slice(cut)]).reduce<AnsiSegment[]>((acc, segment) => {
        const last = acc.at(-1);
        if (last && JSON.stringify(last.style) === JSON.stringify(segment.style)) last.text += segment.text;
        else acc.push({ ...segment });
        return acc;
      }, []);
      expect(merged, `cut at ${cut}`).toEqual(expected);
    }
  });

  it("carries the colour over to the next slice", () => {
    expect(parseAll([`${ESC}[32mgre`, "en"])).toEqual([
      { text: "gre", style: { ...PLAIN, fg: "green" } },
      { text: "en", style: { ...PLAIN, fg: "green" } },
    ]);
  });

  it("gives up on a sequence that never ends instead of swallowing all later output", () => {
    const parsed = parseAnsi(`${ESC}]${"x".repeat(5000)}`);
    expect(parsed.state.pending).toBe("");
    expect(parseAnsi("next", parsed.state).segments).toEqual([{ text: "next", style: PLAIN }]);
  });
});

describe("appendOutput", () => {
  it("joins a line split across slices and opens a new one after each newline", () => {
    let buffer = appendOutput(EMPTY_TERMINAL, "stdout", "ste");
    buffer = appendOutput(buffer, "stdout", "p 1\nstep");
    buffer = appendOutput(buffer, "stdout", " 2\n\nend");
    expect(lineTexts(buffer)).toEqual(["step 1", "step 2", "", "end"]);
    expect(buffer.open).toBe(true);
  });

  it("leaves earlier buffers untouched", () => {
    const first = appendOutput(EMPTY_TERMINAL, "stdout", "a");
    appendOutput(first, "stdout", "b\n");
    expect(lineTexts(first)).toEqual(["a"]);
  });

  it("reads CR LF as one newline, even split, and a lone CR as starting the line over", () => {
    let buffer = appendOutput(EMPTY_TERMINAL, "stdout", "one\r");
    buffer = appendOutput(buffer, "stdout", "\ntwo\r\n10%\r50%\r100%\n");
    expect(lineTexts(buffer)).toEqual(["one", "two", "100%"]);
  });

  it("keeps colours per stream and marks stderr lines", () => {
    let buffer = appendOutput(EMPTY_TERMINAL, "stdout", `${ESC}[31mred `);
    buffer = appendOutput(buffer, "stderr", "oops\n");
    buffer = appendOutput(buffer, "stderr", "warn\n");
    expect(buffer.lines[0]?.segments).toEqual([
      { text: "red ", style: red },
      { text: "oops", style: PLAIN },
    ]);
    expect(buffer.lines[1]?.stream).toBe("stderr");
  });
});
