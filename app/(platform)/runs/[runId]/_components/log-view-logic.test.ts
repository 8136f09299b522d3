import { describe, expect, it } from "vitest";
import { PLAIN } from "@/app/_lib/ansi";
import { highlightPieces } from "./highlight";
import { indexOfLine, layoutLog, rowAt } from "./log-rows";
import { MAX_MATCHES, searchLog } from "./log-search";
import { runLogText, turnOutputText } from "./log-text";
import { runElapsedMs } from "./run-elapsed";

const lines = (...texts: string[]) => texts.map((text) => ({ text }));

describe("layoutLog", () => {
  const layout = layoutLog([
    { turn: 1, expanded: true, hasInput: true, lineCount: 3, hasOutcome: true },
    { turn: 2, expanded: false, hasInput: true, lineCount: 100_000, hasOutcome: true },
    { turn: 3, expanded: true, hasInput: true, lineCount: 0, hasOutcome: false },
  ]);

  it("lays a turn out as header, input, lines and outcome, and a collapsed turn as its header alone", () => {
    expect(layout.count).toBe(6 + 1 + 3);
    expect(Array.from({ length: layout.count }, (_, index) => rowAt(layout, index))).toEqual([
      { kind: "header", turn: 1 },
      { kind: "input", turn: 1 },
      { kind: "line", turn: 1, line: 0 },
      { kind: "line", turn: 1, line: 1 },
      { kind: "line", turn: 1, line: 2 },
      { kind: "outcome", turn: 1 },
      { kind: "header", turn: 2 },
      { kind: "header", turn: 3 },
      { kind: "input", turn: 3 },
      { kind: "empty", turn: 3 },
    ]);
  });

  it("finds a line's row, and none in a collapsed turn", () => {
    expect(indexOfLine(layout, 1, 2)).toBe(4);
    expect(indexOfLine(layout, 2, 5)).toBeUndefined();
  });
});

describe("searchLog", () => {
  it("finds every occurrence in reading order, ignoring case", () => {
    const turns = [
      { turn: 1, lines: lines("Error: one", "fine", "error error") },
      { turn: 2, lines: lines("no ERROR here?") },
    ];
    expect(searchLog(turns, "error")).toEqual([
      { turn: 1, line: 0, start: 0, end: 5 },
      { turn: 1, line: 2, start: 0, end: 5 },
      { turn: 1, line: 2, start: 6, end: 11 },
      { turn: 2, line: 0, start: 3, end: 8 },
    ]);
    expect(searchLog(turns, "")).toEqual([]);
  });

  it("stops counting at the cap on a term found everywhere in 100,000 lines", () => {
    const many = Array.from({ length: 100_000 }, (_, index) => ({ text: `line ${index}` }));
    expect(searchLog([{ turn: 1, lines: many }], "line")).toHaveLength(MAX_MATCHES);
    expect(searchLog([{ turn: 1, lines: many }], "line 99999")).toEqual([{ turn: 1, line: 99_999, start: 0, end: 10 }]);
  });
});

describe("log text", () => {
  it("writes a turn's output as plain lines, and the run with each turn's header and input", () => {
    expect(turnOutputText({ lines: lines("a", "b") })).toBe("a\nb\n");
    expect(runLogText([
      { turn: 1, input: "echo a\necho b", lines: lines("a", "b") },
      { turn: 2, input: "true", lines: [] },
    ])).toBe("=== Turn 1 ===\n$ echo a\n$ echo b\na\nb\n\n=== Turn 2 ===\n$ true\n");
  });
});

describe("highlightPieces", () => {
  it("cuts coloured segments at the matches and marks the current one", () => {
    const red = { ...PLAIN, fg: "red" as const };
    const pieces = highlightPieces([{ text: "abcd", style: red }, { text: "efgh", style: PLAIN }], [{ start: 1, end: 2 }, { start: 3, end: 5 }], 3);
    expect(pieces).toEqual([
      { text: "a", style: red, match: false },
      { text: "b", style: red, match: "match" },
      { text: "c", style: red, match: false },
      { text: "d", style: red, match: "current" },
      { text: "e", style: PLAIN, match: "current" },
      { text: "fgh", style: PLAIN, match: false },
    ]);
  });
});

describe("runElapsedMs", () => {
  const turn = (startedAt: string, endedAt: string | null) => ({ turn: 1, input: "x", startedAt, endedAt, outcome: null });
  const now = Date.parse("2025-01-01T00:01:00.000Z");

  it("counts to now while a turn runs, so the header ticks", () => {
    expect(runElapsedMs({ status: "running", updatedAt: "2025-01-01T00:00:10.000Z", turns: [turn("2025-01-01T00:00:00.000Z", null)] }, now)).toBe(60_000);
  });

  it("stops at the last turn's end, and has nothing to count before the first turn", () => {
    const turns = [turn("2025-01-01T00:00:00.000Z", "2025-01-01T00:00:05.000Z"), turn("2025-01-01T00:00:20.000Z", "2025-01-01T00:00:30.000Z")];
    expect(runElapsedMs({ status: "idle", updatedAt: "2025-01-01T00:00:30.000Z", turns }, now)).toBe(30_000);
    expect(runElapsedMs({ status: "starting", updatedAt: "2025-01-01T00:00:00.000Z", turns: [] }, now)).toBeNull();
  });
});
