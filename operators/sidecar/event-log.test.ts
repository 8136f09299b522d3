import { appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "@/prisma-free-schema";
import { EventLog } from "./event-log";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function logFile(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "event-log-"));
  dirs.push(dir);
  return path.join(dir, "state", "events.jsonl");
}

const output = (text: string) => ({ kind: "output" as const, stream: "stdout" as const, text });

describe("EventLog", () => {
  it("numbers each run's events from 1, and continues after it is opened again", async () => {
    const file = await logFile();
    const [a, b] = [newId("run"), newId("run")];
    const first = EventLog.open(file);
    expect(first.append(a, 1, { kind: "turn.started", input: "ls" }).seq).toBe(1);
    expect(first.append(a, 1, output("x")).seq).toBe(2);
    expect(first.append(b, 1, output("y")).seq).toBe(1);
    first.close();

    const reopened = EventLog.open(file);
    expect(reopened.lastSeq(a)).toBe(2);
    expect(reopened.append(a, 1, output("z")).seq).toBe(3);
    expect(reopened.allLastSeqs()).toEqual({ [a]: 3, [b]: 1 });
    expect((await reopened.after(a, 1)).map((event) => [event.seq, event.kind])).toEqual([
      [2, "output"],
      [3, "output"],
    ]);
    expect(await reopened.after(a, 3)).toEqual([]);
    reopened.close();
  });

  it("cuts off a torn last line, and the next event starts on a line of its own", async () => {
    const file = await logFile();
    const runId = newId("run");
    const log = EventLog.open(file);
    log.append(runId, 1, { kind: "turn.started", input: "ls" });
    log.append(runId, 1, output("a"));
    log.close();
    // A crash in the middle of writing the third event.
    appendFileSync(file, `{"runId":"${runId}","seq":3,"turn":1,"at":"2026-01-01T00:00:00.000Z","kind":"out`);

    const reopened = EventLog.open(file);
    expect(reopened.lastSeq(runId)).toBe(2);
    expect(reopened.append(runId, 1, output("b")).seq).toBe(3);
    expect((await reopened.after(runId, 0)).map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(readFileSync(file, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as { seq: number }).map((e) => e.seq)).toEqual([1, 2, 3]);
    reopened.close();
  });

  it("continues a run's numbering after a seq it is given, never going back", async () => {
    const file = await logFile();
    const runId = newId("run");
    const log = EventLog.open(file);
    log.continueAfter(runId, 10);
    expect(log.append(runId, 2, output("moved here")).seq).toBe(11);
    log.continueAfter(runId, 5);
    expect(log.append(runId, 2, output("still")).seq).toBe(12);
    log.close();
    expect(EventLog.open(file).lastSeq(runId)).toBe(12);
  });

  it("knows which turns started and never ended", async () => {
    const file = await logFile();
    const [a, b] = [newId("run"), newId("run")];
    const log = EventLog.open(file);
    log.append(a, 1, { kind: "turn.started", input: "one" });
    log.append(a, 1, { kind: "turn.ended", outcome: "succeeded", exitCode: 0, durationMs: 5 });
    log.append(b, 2, { kind: "turn.started", input: "two" });
    log.close();
    expect(EventLog.open(file).unfinishedTurns()).toEqual([{ runId: b, turn: 2, startedAt: expect.any(String) }]);
  });

  it("reads a run's events back within bounds: through a seq, or a memory's worth at a time (at least one)", async () => {
    const file = await logFile();
    const log = EventLog.open(file);
    const [a, b] = [newId("run"), newId("run")];
    for (let i = 0; i < 50; i += 1) {
      log.append(a, 1, output(`a${i}`));
      log.append(b, 1, output(`b${i}`));
    }
    expect((await log.after(a, 10, { throughSeq: 14 })).map((event) => event.seq)).toEqual([11, 12, 13, 14]);
    const some = await log.after(a, 0, { maxChars: 1_000 });
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(50);
    expect(some.map((event) => event.seq)).toEqual(some.map((_, i) => i + 1));
    expect((await log.after(a, 49, { maxChars: 0 })).map((event) => event.seq)).toEqual([50]);
    log.close();
  });
});
