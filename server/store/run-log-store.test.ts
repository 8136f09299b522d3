import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS, type TRunEvent } from "@/prisma-free-schema";
import { appendRunEvents } from "../services/events/append-run-events";
import { createTestRun, outputEvents } from "../testing/runs-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../testing/test-store";
import { runEventFrame } from "../services/events/run-event-frame";
import { eventsInOneTransaction, runLogStore, TRANSACTION_LIMITS } from "./run-log-store";

let store: TestStore;
let team: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "lena@runlog.example");
});
afterAll(() => store.destroy());

const newRun = () => createTestRun(store, team.workspace.id, team.owner);
const append = (runId: string, events: TRunEvent[]) => appendRunEvents({ store, workspaceId: team.workspace.id, runId, events });
const seqs = (events: TRunEvent[]) => events.map((event) => event.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ended = (runId: string, seq: number, turn: number): TRunEvent => ({ runId, seq, turn, at: new Date().toISOString(), kind: "turn.ended", outcome: "succeeded", exitCode: 0, durationMs: 5 });

async function documentsOf(runId: string) {
  const container = await store.container(CONTAINERS.runEvents);
  const { resources } = await container.items.query<{ id: string; type?: string }>("SELECT c.id, c.type FROM c", { partitionKey: runId }).fetchAll();
  return resources.filter((document) => document.type === "events").map((document) => document.id).sort();
}

describe("a run's log stores events one document per contiguous range", () => {
  it("stores a batch as one document, a batch across a hole as one per range, and reads every event once in seq order", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 40));
    expect(await documentsOf(run.id)).toEqual(["events-0000000001"]);
    // Past a hole, then the hole with some of what is stored again (a replay): only the missing seqs are written.
    await append(run.id, outputEvents(run.id, 51, 60));
    await append(run.id, outputEvents(run.id, 35, 55));
    expect(await documentsOf(run.id)).toEqual(["events-0000000001", "events-0000000041", "events-0000000051"]);

    const log = runLogStore(store);
    expect(seqs(await log.listEvents(run.id, 0, 1_000))).toEqual(range(1, 60));
    // Pages that start and end inside ranges.
    expect(seqs(await log.listEvents(run.id, 38, 5))).toEqual(range(39, 43));
    expect(seqs(await log.listEvents(run.id, 45, 100))).toEqual(range(46, 60));
    expect(await log.listEvents(run.id, 60, 10)).toEqual([]);
  });

  it("reads past more ranges than one query returns", async () => {
    const run = await newRun();
    // 40 ranges of one event each, stored in reverse so none joins the next.
    for (let seq = 80; seq >= 2; seq -= 2) await append(run.id, outputEvents(run.id, seq, seq));
    for (let seq = 1; seq <= 79; seq += 2) await append(run.id, outputEvents(run.id, seq, seq));
    expect(seqs(await runLogStore(store).listEvents(run.id, 0, 500))).toEqual(range(1, 80));
    expect(seqs(await runLogStore(store).listEvents(run.id, 20, 30))).toEqual(range(21, 50));
  });

  it("splits what does not fit one transactional batch into several, storing all of it", async () => {
    const run = await newRun();
    // Every other seq: 150 ranges, more than one batch's 99.
    const scattered = range(1, 150).flatMap((n) => outputEvents(run.id, n * 2, n * 2));
    expect(eventsInOneTransaction(scattered, (event) => runEventFrame(event).byteLength)).toBe(TRANSACTION_LIMITS.ranges);
    expect((await append(run.id, scattered)).stored).toBe(150);
    expect(seqs(await runLogStore(store).listEvents(run.id, 0, 1_000))).toEqual(range(1, 150).map((n) => n * 2));

    // 200 events of 16 KB, over 3 MB in all: more than one batch of 2 MB takes, so several are stored.
    const other = await newRun();
    const big = outputEvents(other.id, 1, 200).map((event) => ({ ...event, text: `${"x".repeat(16_000)}\n` }));
    expect((await append(other.id, big)).stored).toBe(200);
    expect(seqs(await runLogStore(store).listEvents(other.id, 0, 1_000))).toEqual(range(1, 200));
    expect((await runLogStore(store).progress(other.id))?.contiguousSeq).toBe(200);
    expect((await documentsOf(other.id)).length).toBeGreaterThan(2);
  });

  it("still reads runs logged one document per event, merged in order with the ranges stored since", async () => {
    const run = await newRun();
    const container = await store.container(CONTAINERS.runEvents);
    for (const event of [...outputEvents(run.id, 1, 3), ended(run.id, 4, 1)]) await container.items.create({ ...event, id: String(event.seq).padStart(10, "0") });
    await append(run.id, [...outputEvents(run.id, 5, 8), ended(run.id, 9, 2)]);

    const log = runLogStore(store);
    expect(seqs(await log.listEvents(run.id, 0, 100))).toEqual(range(1, 9));
    expect(seqs(await log.listEvents(run.id, 2, 4))).toEqual(range(3, 6));
    expect((await log.turnEnd(run.id, 1))?.seq).toBe(4);
    expect((await log.turnEnd(run.id, 2))?.seq).toBe(9);
    expect(await log.turnEnd(run.id, 3)).toBeUndefined();
  });
});
