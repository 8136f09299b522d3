import { describe, expect, it } from "vitest";
import { AnsiDecoder, type AnsiSegment, PLAIN } from "./ansi";

const ESC = "\u001b";
const decode = (...slices: string[]): AnsiSegment[] => {
  const decoder = new AnsiDecoder();
  return slices.flatMap((slice) => decoder.decode(slice));
};

describe("AnsiDecoder", () => {
  it("keeps plain text as one plain segment", () => {
    expect(decode("hello world")).toEqual([{ text: "hello world", style: PLAIN }]);
  });

  it("reads the 16 colours, foreground and background, normal and bright", () => {
    const [red, brightOnBlue] = decode(`${ESC}[31mred${ESC}[92;44mgreen on blue`);
    expect(red).toEqual({ text: "red", style: { ...PLAIN, fg: "red" } });
    expect(brightOnBlue).toEqual({ text: "green on blue", style: { ...PLAIN, fg: "bright-green", bg: "blue" } });
  });

  it("turns the 256-colour palette and true colour into exact colours", () => {
    const segments = decode(`${ESC}[38;5;208morange${ESC}[0m ${ESC}[38;5;9mbright red${ESC}[38;5;244mgrey${ESC}[48;2;10;20;30;38;2;255;128;0mtrue`);
    expect(segments).toEqual([
      { text: "orange", style: { ...PLAIN, fg: "rgb(255, 135, 0)" } },
      { text: " ", style: PLAIN },
      { text: "bright red", style: { ...PLAIN, fg: "bright-red" } },
      { text: "grey", style: { ...PLAIN, fg: "rgb(128, 128, 128)" } },
      { text: "true", style: { ...PLAIN, fg: "rgb(255, 128, 0)", bg: "rgb(10, 20, 30)" } },
    ]);
  });

  it("keeps each decoration to the text it was set for", () => {
    const segments = decode(`${ESC}[1mbold${ESC}[4mboth${ESC}[22munderline${ESC}[0mplain`);
    expect(segments.map(({ text, style }) => [text, style.bold, style.underline])).toEqual([
      ["bold", true, false],
      ["both", true, true],
      ["underline", false, true],
      ["plain", false, false],
    ]);
  });

  it("drops the escapes it does not show: cursor moves, erase, OSC titles and links, charsets, stray controls", () => {
    const text = decode(`a${ESC}[2K${ESC}[1Gb${ESC}]0;title\u0007c${ESC}]8;;http://x${ESC}\\d${ESC}(Be\u0000f\tg`).map((s) => s.text).join("");
    expect(text).toBe("abcdef\tg");
  });

  it("finishes a sequence split across slices, wherever it is cut", () => {
    const whole = `x${ESC}[38;5;208my`;
    for (let cut = 1; cut < whole.length; cut += 1) {
      expect(decode(whole.slice(0, cut), whole.slice(cut))).toEqual([
        { text: "x", style: PLAIN },
        { text: "y", style: { ...PLAIN, fg: "rgb(255, 135, 0)" } },
      ]);
    }
  });

  it("carries the colour in force over to the next slice", () => {
    expect(decode(`${ESC}[31mred `, "still red", `${ESC}[0m plain`)).toEqual([
      { text: "red ", style: { ...PLAIN, fg: "red" } },
      { text: "still red", style: { ...PLAIN, fg: "red" } },
      { text: " plain", style: PLAIN },
    ]);
  });
});
