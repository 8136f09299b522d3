import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newId, type TRunEvent } from "@/prisma-free-schema";
import { createOperatorLog } from "../shared/operator-log";
import { EventLog } from "./event-log";
import { RunEvents } from "./run-events";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openLog(): Promise<EventLog> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "run-events-"));
  dirs.push(dir);
  return EventLog.open(path.join(dir, "events.jsonl"));
}

const quiet = createOperatorLog({ level: "error", write: () => undefined });

describe("RunEvents", () => {
  it("sends every event once and in order when the agent outruns the channel: past its memory, a run catches up from its log", async () => {
    const log = await openLog();
    const sent: TRunEvent[] = [];
    let batches = 0;
    // A slow channel: each batch takes a moment to be acknowledged, while the agent keeps printing.
    const send = async (_event: string, data: unknown) => {
      // In the order handed to the channel (the hub keeps a connection's order), acknowledged a moment later.
      batches += 1;
      sent.push(...(data as TRunEvent[]));
      await new Promise((resolve) => setTimeout(resolve, 2));
      return true;
    };
    // Room in memory for a few events only.
    const events = new RunEvents(log, send, quiet, 2_000);
    const [a, b] = [newId("run"), newId("run")];
    for (let i = 0; i < 1_500; i += 1) {
      events.record(i % 3 === 0 ? b : a, 1, { kind: "output", stream: "stdout", text: `line ${i}\n` });
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await events.drained();
    for (const runId of [a, b]) {
      const seqs = sent.filter((event) => event.runId === runId).map((event) => event.seq);
      expect(seqs).toEqual(Array.from({ length: log.lastSeq(runId) }, (_, i) => i + 1));
    }
    // Caught up in batches, not one event at a time.
    expect(batches).toBeLessThan(200);
  });
});
