import { describe, expect, it } from "vitest";
import type { TRunEvent, TRunEventBody } from "@/prisma-free-schema";
import { applyRunEvent, EMPTY_RUN_LOG, type RunLog } from "./run-log";

const RUN_ID = "run_aaaaaaaaaaaaaaaaaaaa";
let at = 0;
const event = (seq: number, turn: number, body: TRunEventBody): TRunEvent => ({ runId: RUN_ID, seq, turn, at: new Date(at++ * 1000).toISOString(), ...body });
const text = (log: RunLog, turn: number) => log.turns[turn]?.terminal.lines.map((line) => line.text);

describe("applyRunEvent", () => {
  it("builds each turn from its events", () => {
    const events = [
      event(1, 1, { kind: "turn.started", input: "run the steps" }),
      event(2, 1, { kind: "output", stream: "stdout", text: "step 1\nste" }),
      event(3, 1, { kind: "output", stream: "stdout", text: "p 2\n" }),
      event(4, 1, { kind: "file.changed", path: "a.txt", change: "created" }),
      event(5, 1, { kind: "file.changed", path: "a.txt", change: "modified" }),
      event(6, 1, { kind: "agent", payload: { type: "message", text: "hi" } }),
      event(7, 1, { kind: "process.exited", exitCode: 0, signal: null }),
      event(8, 1, { kind: "turn.ended", outcome: "succeeded", exitCode: 0, durationMs: 1200 }),
      event(9, 2, { kind: "turn.started", input: "again" }),
    ];
    const log = events.reduce(applyRunEvent, EMPTY_RUN_LOG);
    expect(log.lastSeq).toBe(9);
    expect(log.turns[1]?.input).toBe("run the steps");
    expect(text(log, 1)).toEqual(["step 1", "step 2"]);
    expect(log.turns[1]?.files).toEqual([{ path: "a.txt", change: "modified" }]);
    expect(log.turns[1]?.agent).toEqual([{ seq: 6, payload: { type: "message", text: "hi" } }]);
    expect(log.turns[1]?.ended).toEqual({ outcome: "succeeded", exitCode: 0, durationMs: 1200 });
    expect(log.turns[2]?.input).toBe("again");
  });

  it("ignores an event it has already applied, as a reconnect or reload replays them", () => {
    const once = [event(1, 1, { kind: "output", stream: "stdout", text: "step 1\n" }), event(2, 1, { kind: "output", stream: "stdout", text: "step 2\n" })];
    const log = once.reduce(applyRunEvent, EMPTY_RUN_LOG);
    const replayed = [...once, ...once].reduce(applyRunEvent, log);
    expect(replayed).toBe(log);
    expect(text(replayed, 1)).toEqual(["step 1", "step 2"]);
  });
});
