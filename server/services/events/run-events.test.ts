import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONTAINERS, type TRunEvent } from "@/prisma-free-schema";
import { runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import { runDetail, saveTurnInput, withNewTurn } from "../runs/run-turns";
import { giveUpHoles, settleEndedTurn } from "./request-missing-events";
import { emptyProgress, withStored } from "./run-progress";
import { createTestRun, outputEvents } from "../../testing/runs-fixtures";
import { openTestStore, withContainerDown, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { appendRunEvents, MAX_STORED_RANGES_ABOVE } from "./append-run-events";
import { listRunEvents } from "./list-run-events";
import { getRunEventBus } from "./run-event-bus";
import { streamRunEvents, type StreamRunEventsOptions } from "./stream-run-events";

let store: TestStore;
let team: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "rita@runs.example");
});
afterAll(() => store.destroy());

const newRun = (overrides = {}) => createTestRun(store, team.workspace.id, team.owner, overrides);
const append = (runId: string, events: unknown[]) => appendRunEvents({ store, workspaceId: team.workspace.id, runId, events });
const watermark = async (runId: string) => (await runLogStore(store).progress(runId))?.contiguousSeq ?? 0;
const seqs = (events: TRunEvent[]) => events.map((event) => event.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Reads `count` events from a fresh stream, then stops it; fails the test if they do not come. */
async function collect(options: Omit<StreamRunEventsOptions, "store" | "signal">, count: number, onEach?: (event: TRunEvent) => Promise<void>) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  const out: TRunEvent[] = [];
  try {
    for await (const event of streamRunEvents({ store, signal: abort.signal, ...options })) {
      out.push(event);
      await onEach?.(event);
      if (out.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return out;
}

describe("appending a run's events", () => {
  it("is idempotent: the same 100 events twice are stored once, and the run's watermark is 100", async () => {
    const run = await newRun();
    const events = outputEvents(run.id, 1, 100);
    expect(await append(run.id, events)).toEqual({ stored: 100, skipped: 0, contiguousSeq: 100, lastSeq: 100, missing: [] });
    expect(await append(run.id, events)).toEqual({ stored: 0, skipped: 100, contiguousSeq: 100, lastSeq: 100, missing: [] });
    expect(seqs(await listRunEvents({ store, runId: run.id, afterSeq: 0, limit: 500 }))).toEqual(range(1, 100));
    expect(await watermark(run.id)).toBe(100);
  });

  it("stores an event past a hole and reports the missing seqs so the sidecar can be asked to replay", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 3));
    const result = await append(run.id, [...outputEvents(run.id, 6, 7), ...outputEvents(run.id, 10, 10)]);
    expect(result).toMatchObject({ stored: 3, contiguousSeq: 3, lastSeq: 10, missing: [{ fromSeq: 4, toSeq: 5 }, { fromSeq: 8, toSeq: 9 }] });
    // The replay fills the first hole: the watermark moves up to the next one, which is still owed.
    expect(await append(run.id, outputEvents(run.id, 4, 5))).toMatchObject({ stored: 2, contiguousSeq: 7, lastSeq: 10, missing: [{ fromSeq: 8, toSeq: 9 }] });
    expect(seqs(await listRunEvents({ store, runId: run.id, afterSeq: 0, limit: 50 }))).toEqual([1, 2, 3, 4, 5, 6, 7, 10]);
  });

  it("does not let events scattered past many holes grow the run's marker without bound", async () => {
    const run = await newRun();
    const scattered = (from: number) => Array.from({ length: 90 }, (_, i) => outputEvents(run.id, from + 2 * i, from + 2 * i)[0]!);
    // Each batch of 90 odd-numbered events adds 90 ranges past holes, until a batch would pass the limit.
    let batches = 0;
    while ((await append(run.id, scattered(2 + 180 * batches))).stored > 0) batches += 1;
    expect(batches).toBe(Math.floor(MAX_STORED_RANGES_ABOVE / 90));
    // That batch, and any more, wait: the marker keeps its size until the holes are filled.
    const refused = await append(run.id, scattered(1_000_000));
    expect(refused).toMatchObject({ stored: 0, skipped: 90 });
    expect(refused.missing.length).toBeLessThanOrEqual(MAX_STORED_RANGES_ABOVE);
    expect(JSON.stringify(await runLogStore(store).progress(run.id)).length).toBeLessThan(64 * 1024);
  });

  it("refuses events that are not valid or belong to another run, storing none of them", async () => {
    const run = await newRun();
    await expect(append(run.id, [{ ...outputEvents(run.id, 1, 1)[0], seq: 0 }])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const other = await newRun();
    await expect(append(run.id, outputEvents(other.id, 1, 1))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await listRunEvents({ store, runId: run.id, afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it("records the turn's outcome and end when turn.ended arrives, and the run goes idle", async () => {
    const run = await newRun();
    const at = "2030-01-01T00:00:05.000Z";
    await append(run.id, [
      ...outputEvents(run.id, 1, 2),
      { runId: run.id, seq: 3, turn: 1, at, kind: "turn.ended", outcome: "succeeded", exitCode: 0, durationMs: 5000 },
    ]);
    const stored = await runStore(store).get(team.workspace.id, run.id);
    expect(stored).toMatchObject({ status: "idle", lastTurn: { turn: 1, outcome: "succeeded", endedAt: at } });
    expect(await runDetail(store, stored!)).toMatchObject({ lastSeq: 3, turns: [{ turn: 1, input: "hello", outcome: "succeeded", endedAt: at }] });
  });
});

describe("a platform that stopped between storing a turn's end and updating its run", () => {
  it("is settled by the periodic pass: the run goes idle with the turn's outcome", async () => {
    const run = await newRun();
    const at = "2030-01-01T00:00:09.000Z";
    const ended: TRunEvent = { runId: run.id, seq: 1, turn: 1, at, kind: "turn.ended", outcome: "failed", exitCode: 2, durationMs: 10 };
    // What storeRunEvents does before it tells the run: the events and their marker, nothing else.
    await runLogStore(store).storeEvents(undefined, [ended], withStored(emptyProgress(run.id, team.workspace.id), [1]));
    const stuck = (await runStore(store).get(team.workspace.id, run.id))!;
    expect(stuck.status).toBe("running");
    expect(await settleEndedTurn(store, stuck)).toBe(true);
    expect(await runStore(store).get(team.workspace.id, run.id)).toMatchObject({ status: "idle", lastTurn: { turn: 1, outcome: "failed", endedAt: at } });
    expect(await settleEndedTurn(store, (await runStore(store).get(team.workspace.id, run.id))!)).toBe(true);
    expect((await runDetail(store, (await runStore(store).get(team.workspace.id, run.id))!)).turns).toMatchObject([{ turn: 1, outcome: "failed" }]);
  });
});

describe("holes nothing can fill any more", () => {
  it("are given up when the run's sandbox is gone: the watermark moves on and the periodic pass stops asking", async () => {
    const run = await newRun();
    await append(run.id, [...outputEvents(run.id, 1, 3), ...outputEvents(run.id, 7, 9)]);
    expect((await runLogStore(store).progressWithHoles()).some((progress) => progress.runId === run.id)).toBe(true);
    await giveUpHoles(store, run.id, "its sandbox is gone");
    expect(await runLogStore(store).progress(run.id)).toMatchObject({ contiguousSeq: 9, storedAbove: [], hasHoles: false, lost: [[4, 6]] });
    expect((await runLogStore(store).progressWithHoles()).some((progress) => progress.runId === run.id)).toBe(false);
    // What arrives after goes on from there; the lost ones, should they ever come, change nothing.
    expect(await append(run.id, [...outputEvents(run.id, 5, 5), ...outputEvents(run.id, 10, 10)])).toMatchObject({ stored: 1, contiguousSeq: 10, missing: [] });
  });
});

describe("a turn whose input could not be saved", () => {
  it("ends as failed, saying so, instead of leaving the run running", async () => {
    const run = await newRun({ status: "idle", lastTurn: { turn: 1, startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), outcome: "succeeded" } });
    const taken = (await runStore(store).update(team.workspace.id, run.id, (current) => withNewTurn(current, new Date().toISOString())))!;
    await expect(saveTurnInput(withContainerDown(store, CONTAINERS.runEvents.id), taken, "echo lost")).rejects.toThrow(/unreachable/);
    expect(await runStore(store).get(team.workspace.id, run.id)).toMatchObject({ status: "idle", failure: expect.stringMatching(/could not be saved/), lastTurn: { turn: 2, outcome: "failed" } });
  });
});

describe("reading a run's events", () => {
  it("resumes at any cursor with exactly the rest, in order", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 120));
    expect(seqs(await listRunEvents({ store, runId: run.id, afterSeq: 37, limit: 500 }))).toEqual(range(38, 120));
    expect(seqs(await listRunEvents({ store, runId: run.id, afterSeq: 100, limit: 5 }))).toEqual(range(101, 105));
    expect(seqs(await collect({ runId: run.id, afterSeq: 73, pageSize: 10 }, 47))).toEqual(range(74, 120));
  });
});

describe("the live stream of a run", () => {
  it("gives two concurrent readers the same events in the same order while two writers append", async () => {
    const run = await newRun();
    const total = 200;
    const readers = [collect({ runId: run.id, afterSeq: 0 }, total), collect({ runId: run.id, afterSeq: 0 }, total)];
    // Two writers (a live sidecar and a replay, say) interleave batches, so seqs land out of order.
    const writer = async (offset: number) => {
      for (let from = 1 + offset; from <= total; from += 20) await append(run.id, outputEvents(run.id, from, from + 9));
    };
    await Promise.all([writer(0), writer(10)]);
    const [first, second] = await Promise.all(readers);
    expect(seqs(first!)).toEqual(range(1, total));
    expect(seqs(second!)).toEqual(range(1, total));
  });

  it("started in the middle of an append, misses nothing and repeats nothing", async () => {
    const run = await newRun();
    const total = 300;
    const appending = (async () => {
      for (let from = 1; from <= total; from += 5) await append(run.id, outputEvents(run.id, from, from + 4));
    })();
    while ((await watermark(run.id)) < 40) await new Promise((resolve) => setTimeout(resolve, 2));
    const seen = await collect({ runId: run.id, afterSeq: 0 }, total);
    await appending;
    expect(seqs(seen)).toEqual(range(1, total));
  });

  it("keeps a slow reader's memory bounded: past the queue cap it reads from the store instead", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 1));
    const bus = getRunEventBus();
    let held = 0;
    const seen = await collect({ runId: run.id, afterSeq: 0, queueCap: 5 }, 150, async (event) => {
      // The reader stalls on its first event while 149 more are appended: far past the cap of 5.
      if (event.seq === 1) {
        const counting = bus.subscribe(run.id, () => (held += 1));
        await append(run.id, outputEvents(run.id, 2, 150));
        counting();
      }
    });
    expect(held).toBe(149);
    expect(seqs(seen)).toEqual(range(1, 150));
    expect(bus.listenerCount(run.id)).toBe(0);
  });

  it("waits for a hole to be filled (a replay) and then goes on in order", async () => {
    const run = await newRun();
    await append(run.id, [...outputEvents(run.id, 1, 3), ...outputEvents(run.id, 6, 8)]);
    const reading = collect({ runId: run.id, afterSeq: 0, gapWaitMs: 10_000 }, 8);
    // The hole stays open a while (the reader meets it and waits), then the replay fills it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await append(run.id, outputEvents(run.id, 4, 5));
    expect(seqs(await reading)).toEqual(range(1, 8));
  });

  it("steps over a hole that is never filled, after the gap wait", async () => {
    const run = await newRun();
    await append(run.id, [...outputEvents(run.id, 1, 2), ...outputEvents(run.id, 5, 6)]);
    expect(seqs(await collect({ runId: run.id, afterSeq: 0, gapWaitMs: 50 }, 4))).toEqual([1, 2, 5, 6]);
  });

  it("ends when its signal fires, and lets go of its subscription", async () => {
    const run = await newRun();
    const abort = new AbortController();
    const stream = streamRunEvents({ store, runId: run.id, afterSeq: 0, signal: abort.signal });
    const next = stream.next();
    await vi.waitFor(() => expect(getRunEventBus().listenerCount(run.id)).toBe(1));
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(getRunEventBus().listenerCount(run.id)).toBe(0);
  });
});
