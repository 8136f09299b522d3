import { describe, expect, it } from "vitest";
import { appendOutput, newTerminal, type TerminalBuffer } from "./terminal-buffer";

const AT = "2025-01-01T00:00:00.000Z";
const write = (buffer: TerminalBuffer, text: string, stream: "stdout" | "stderr" = "stdout", at = AT) => appendOutput(buffer, stream, text, at);
const texts = (buffer: TerminalBuffer) => buffer.lines.map((line) => line.text);

describe("appendOutput", () => {
  it("joins a line split across slices and opens a new one after each newline", () => {
    let buffer = write(newTerminal(), "one\ntw");
    buffer = write(buffer, "o\n\nthree");
    expect(texts(buffer)).toEqual(["one", "two", "", "three"]);
    expect(buffer.open).toBe(true);
  });

  it("reads CR LF as one newline, even split, and a lone CR as starting the line over", () => {
    let buffer = write(newTerminal(), "a\r");
    buffer = write(buffer, "\nprogress 10%\rprogress 100%\n");
    expect(texts(buffer)).toEqual(["a", "progress 100%"]);
  });

  it("keeps colours per stream, marks stderr lines and stamps each line with when it began", () => {
    let buffer = write(newTerminal(), "\u001b[31mred ", "stdout");
    buffer = write(buffer, "\nerr\n", "stderr", "2025-01-01T00:00:05.000Z");
    buffer = write(buffer, "still red\n", "stdout");
    expect(buffer.lines.map((line) => [line.text, line.stream, line.segments[0]?.style.fg ?? null, line.at])).toEqual([
      ["red ", "stdout", "red", AT],
      ["err", "stderr", null, "2025-01-01T00:00:05.000Z"],
      ["still red", "stdout", "red", AT],
    ]);
  });

  it("keeps every line of a long turn, and a new handle for each slice", () => {
    let buffer = newTerminal();
    for (let i = 1; i <= 100_000; i += 100) {
      const before = buffer;
      buffer = write(buffer, Array.from({ length: 100 }, (_, j) => `${i + j}\n`).join(""));
      expect(buffer).not.toBe(before);
    }
    expect(buffer.lines).toHaveLength(100_000);
    expect(buffer.lines[0]?.text).toBe("1");
    expect(buffer.lines[99_999]?.text).toBe("100000");
  });
});
