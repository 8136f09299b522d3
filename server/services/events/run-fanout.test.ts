import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONTAINERS, type TRunEvent } from "@/prisma-free-schema";
import { createTestRun, outputEvents } from "../../testing/runs-fixtures";
import { eventually } from "../../testing/eventually";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { appendRunEvents } from "./append-run-events";
import { RunEventBody, type RunEventBodyOptions } from "./run-event-body";
import { RunEventFeed } from "./run-event-feed";
import { getRunEventBus } from "./run-event-bus";
import { endAllRunStreams, openRunFanout } from "./run-fanout";
import { serveRunEventStream } from "../../http/serve-run-event-stream";

let store: TestStore;
let team: TestWorkspace;
let bearer: string;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "fran@fanout.example");
  bearer = (await team.ownerCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "fan-out reader", scopes: ["hosts.read"], expiresInDays: 1 })).bearer;
});
afterAll(() => store.destroy());

const newRun = () => createTestRun(store, team.workspace.id, team.owner);
const append = (runId: string, events: TRunEvent[]) => appendRunEvents({ store, workspaceId: team.workspace.id, runId, events });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const fanoutOf = (runId: string) => openRunFanout({ store, runId, bus: getRunEventBus() });
/** Appends `from`..`to` in batches of `batch`, as a sidecar's posts would arrive. */
async function appendInBatches(runId: string, from: number, to: number, batch: number) {
  for (let first = from; first <= to; first += batch) await append(runId, outputEvents(runId, first, Math.min(to, first + batch - 1)));
}

/** Reads an SSE body's event ids as they come; `until` resolves once `count` have arrived (or rejects after 15 s). */
function reader(body: ReadableStream<Uint8Array>, options: { pauseMs?: number } = {}) {
  const seqs: number[] = [];
  const stream = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await stream.read();
      if (done) break;
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith("id: ")) seqs.push(Number(frame.slice(4, frame.indexOf("\n"))));
      }
    }
    ended = true;
  })().catch(() => undefined);
  return {
    seqs,
    async until(count: number) {
      await vi.waitFor(() => expect(seqs.length >= count || ended).toBe(true), { timeout: 15_000, interval: 5 });
      return seqs;
    },
    async cancel() {
      await stream.cancel().catch(() => undefined);
      await reading;
    },
  };
}

function openBody(runId: string, options: Partial<RunEventBodyOptions> = {}) {
  return new RunEventBody({ store, runId, afterSeq: 0, ...options });
}

describe("a run's fan-out", () => {
  it("does not hold a fast reader up behind one that stopped reading; the slow one later gets everything, in order, once", async () => {
    const run = await newRun();
    const get = (signal: AbortSignal) =>
      serveRunEventStream(new Request(`http://localhost:3000/api/runs/${run.id}/events`, { headers: { authorization: `Bearer ${bearer}` }, signal }), run.id, {
        store,
        // A small buffer and ring: the stalled reader is detached soon, and must catch up from the store.
        bufferBytes: 4096,
        stream: { ringEvents: 50 },
      });
    const fastAbort = new AbortController();
    const slowAbort = new AbortController();
    const fast = reader((await get(fastAbort.signal)).body!);
    const slowBody = (await get(slowAbort.signal)).body!;
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(2));

    await appendInBatches(run.id, 1, 600, 20);
    expect(await fast.until(600)).toEqual(range(1, 600));
    // The stalled stream is no longer written to; the fast one still is, at the live edge.
    expect(fanoutOf(run.id)?.stats()).toMatchObject({ members: 2, attached: 1, edge: 600 });

    const slow = reader(slowBody);
    await appendInBatches(run.id, 601, 650, 10);
    expect(await slow.until(650)).toEqual(range(1, 650));
    expect(await fast.until(650)).toEqual(range(1, 650));
    // Caught up, it rejoins the shared path.
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(2));
    fastAbort.abort();
    slowAbort.abort();
    await vi.waitFor(() => expect(getRunEventBus().listenerCount(run.id)).toBe(0));
    expect(fanoutOf(run.id)).toBeUndefined();
  });

  it("never buffers more for a stalled stream than its cap and one chunk", async () => {
    const run = await newRun();
    const bufferBytes = 8192;
    const chunkBytes = 1024;
    // A short ring: it catches up from store pages (of 500 events, ~85 KB), and still holds no more.
    const stalled = openBody(run.id, { bufferBytes, tuning: { chunkBytes, ringEvents: 20 } });
    const watching = reader(openBody(run.id).body);
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(2));
    await appendInBatches(run.id, 1, 1000, 50);
    await watching.until(1000);
    // Each frame is ~170 bytes: 1,000 events are ~20 times the cap, of which it held at most the cap.
    expect(stalled.peakBufferedBytes).toBeGreaterThan(bufferBytes / 2);
    expect(stalled.peakBufferedBytes).toBeLessThanOrEqual(bufferBytes + chunkBytes);

    const late = reader(stalled.body);
    expect(await late.until(1000)).toEqual(range(1, 1000));
    expect(stalled.peakBufferedBytes).toBeLessThanOrEqual(bufferBytes + chunkBytes);
    await late.cancel();
    await watching.cancel();
  });

  it("gives each of 1,000 streams of one run every event once, through one subscription to the bus", async () => {
    const run = await newRun();
    await appendInBatches(run.id, 1, 100, 25);
    const readers = Array.from({ length: 1000 }, () => reader(openBody(run.id).body));
    // Some already stored when the streams open, the rest while they are open.
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(1000), { timeout: 15_000 });
    expect(getRunEventBus().listenerCount(run.id)).toBe(1);
    await appendInBatches(run.id, 101, 300, 20);
    for (const one of readers) expect(await one.until(300)).toEqual(range(1, 300));
    await Promise.all(readers.map((one) => one.cancel()));
    expect(getRunEventBus().listenerCount(run.id)).toBe(0);
  });

  it("gives streams that open, stall and catch up while events flow each event after their cursor once, in order", async () => {
    const run = await newRun();
    const total = 1500;
    // A small ring, pages and buffers: streams move between the live edge, the ring and the store all the time.
    const tuning = { ringEvents: 30, pageSize: 40, chunkBytes: 512 };
    const opened: { from: number; one: ReturnType<typeof reader> }[] = [];
    const open = (from: number, pauseMs?: number) => opened.push({ from, one: reader(openBody(run.id, { afterSeq: from, tuning, bufferBytes: 2048 }).body, { pauseMs }) });
    open(0);
    const writing = appendInBatches(run.id, 1, total, 7);
    for (let i = 0; i < 12; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const stored = Math.max(0, ...opened.flatMap(({ one }) => one.seqs.slice(-1)));
      open(i % 3 === 0 ? 0 : Math.max(0, stored - i * 13), i % 4 === 1 ? 3 : undefined);
    }
    await writing;
    for (const { from, one } of opened) expect(await one.until(total - from)).toEqual(range(from + 1, total));
    await Promise.all(opened.map(({ one }) => one.cancel()));
    expect(getRunEventBus().listenerCount(run.id)).toBe(0);
  });

  it("waits for a hole once for all its streams, then goes on in order", async () => {
    const run = await newRun();
    await append(run.id, [...outputEvents(run.id, 1, 3), ...outputEvents(run.id, 6, 8)]);
    const readers = [reader(openBody(run.id, { tuning: { gapWaitMs: 10_000 } }).body), reader(openBody(run.id).body)];
    await vi.waitFor(() => expect(readers.every((one) => one.seqs.length === 3)).toBe(true));
    await append(run.id, outputEvents(run.id, 4, 5));
    for (const one of readers) expect(await one.until(8)).toEqual(range(1, 8));
    await Promise.all(readers.map((one) => one.cancel()));
  });

  it("steps over a hole that is never filled, after the gap wait", async () => {
    const run = await newRun();
    await append(run.id, [...outputEvents(run.id, 1, 2), ...outputEvents(run.id, 5, 6)]);
    const one = reader(openBody(run.id, { tuning: { gapWaitMs: 50 } }).body);
    expect(await one.until(4)).toEqual([1, 2, 5, 6]);
    await append(run.id, outputEvents(run.id, 7, 7));
    expect(await one.until(5)).toEqual([1, 2, 5, 6, 7]);
    await one.cancel();
  });

  it("resumes streams that join late at any cursor: in the ring, behind it, at the edge, and past what is stored", async () => {
    const run = await newRun();
    const first = reader(openBody(run.id, { tuning: { ringEvents: 20, pageSize: 30 } }).body);
    await appendInBatches(run.id, 1, 200, 10);
    await first.until(200);
    const atCursor = (afterSeq: number) => reader(openBody(run.id, { afterSeq }).body);
    const inRing = atCursor(190);
    const behindRing = atCursor(37);
    const atEdge = atCursor(200);
    const ahead = atCursor(230);
    await appendInBatches(run.id, 201, 240, 7);
    expect(await inRing.until(50)).toEqual(range(191, 240));
    expect(await behindRing.until(203)).toEqual(range(38, 240));
    expect(await atEdge.until(40)).toEqual(range(201, 240));
    expect(await ahead.until(10)).toEqual(range(231, 240));
    await Promise.all([first, inRing, behindRing, atEdge, ahead].map((one) => one.cancel()));
  });

  it("serves a cursor past everything stored, with no stream open yet, from there on", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 5));
    const ahead = reader(openBody(run.id, { afterSeq: 10 }).body);
    const fromStart = reader(openBody(run.id).body);
    await appendInBatches(run.id, 6, 14, 3);
    expect(await ahead.until(4)).toEqual(range(11, 14));
    expect(await fromStart.until(14)).toEqual(range(1, 14));
    await Promise.all([ahead.cancel(), fromStart.cancel()]);
  });
});

/** Takes a feed's events (as the runs.events subscription does) into `seqs`, pausing `pauseMs` after each when asked. */
function taker(feed: RunEventFeed, options: { pauseMs?: number } = {}) {
  const seqs: number[] = [];
  let ended = false;
  const taking = (async () => {
    for await (const event of feed) {
      seqs.push(event.seq);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    ended = true;
  })();
  return {
    seqs,
    taking,
    async until(count: number) {
      await vi.waitFor(() => expect(seqs.length >= count || ended).toBe(true), { timeout: 15_000, interval: 5 });
      return seqs;
    },
  };
}

describe("a run's events as a feed of events (the runs.events subscription)", () => {
  it("shares the run's fan-out with its SSE streams: one subscription to the run, every event to each, in order, once", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 30));
    const feeds = [0, 0, 17].map((afterSeq) => new RunEventFeed({ store, runId: run.id, afterSeq }));
    const takers = feeds.map((feed) => taker(feed));
    const body = reader(openBody(run.id).body);
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats()).toMatchObject({ members: 4, attached: 4 }));
    expect(getRunEventBus().listenerCount(run.id)).toBe(1);

    await appendInBatches(run.id, 31, 120, 9);
    expect(await takers[0]!.until(120)).toEqual(range(1, 120));
    expect(await takers[1]!.until(120)).toEqual(range(1, 120));
    expect(await takers[2]!.until(103)).toEqual(range(18, 120));
    expect(await body.until(120)).toEqual(range(1, 120));

    for (const feed of feeds) feed.close();
    await Promise.all(takers.map((one) => one.taking));
    await body.cancel();
    await vi.waitFor(() => expect(getRunEventBus().listenerCount(run.id)).toBe(0));
    expect(fanoutOf(run.id)).toBeUndefined();
  });

  it("holds no more than its cap for a subscriber that stopped taking, without holding the others up; later it gets everything", async () => {
    const run = await newRun();
    const stalled = new RunEventFeed({ store, runId: run.id, afterSeq: 0, bufferBytes: 4096, tuning: { ringEvents: 40, chunkBytes: 1024 } });
    const watchingFeed = new RunEventFeed({ store, runId: run.id, afterSeq: 0 });
    const watching = taker(watchingFeed);
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(2));
    await appendInBatches(run.id, 1, 400, 25);
    expect(await watching.until(400)).toEqual(range(1, 400));
    // The stalled feed was detached once full: the fan-out no longer writes to it.
    expect(fanoutOf(run.id)?.stats()).toMatchObject({ members: 2, attached: 1 });

    const late = taker(stalled, { pauseMs: 1 });
    expect(await late.until(400)).toEqual(range(1, 400));
    await appendInBatches(run.id, 401, 420, 5);
    expect(await late.until(420)).toEqual(range(1, 420));
    await vi.waitFor(() => expect(fanoutOf(run.id)?.stats().attached).toBe(2));
    stalled.close();
    watchingFeed.close();
    await Promise.all([late.taking, watching.taking]);
  });

  it("yields nothing more once closed, not even what it holds (its subscriber may no longer read the run)", async () => {
    const run = await newRun();
    await append(run.id, outputEvents(run.id, 1, 50));
    const feed = new RunEventFeed({ store, runId: run.id, afterSeq: 0 });
    const iterator = feed[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ seq: 1 });
    feed.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});

describe("a process that stops (SIGTERM)", () => {
  it("ends every open stream of every run, SSE and runs.events alike, frees their slots, and a reconnect from the cursor loses nothing", async () => {
    const runs = [await newRun(), await newRun()];
    for (const run of runs) await append(run.id, outputEvents(run.id, 1, 10));
    const open = (runId: string, afterSeq = 0) =>
      serveRunEventStream(new Request(`http://localhost:3000/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${bearer}`, "last-event-id": String(afterSeq) } }), runId, { store });
    const sse = await Promise.all(runs.flatMap((run) => [open(run.id), open(run.id), open(run.id)]));
    const readers = sse.map((response) => reader(response.body!));
    const feed = taker(new RunEventFeed({ store, runId: runs[0]!.id, afterSeq: 0 }));
    for (const one of readers) await one.until(10);
    await feed.until(10);
    const slots = async () => (await (await store.container(CONTAINERS.streamLeases)).items.query("SELECT VALUE COUNT(1) FROM c").fetchAll()).resources[0] as number;
    expect(await slots()).toBe(6);

    // Seven here (and any a test before this one left open).
    const feedEnd = feed.taking.then(() => "ended without an error", (error: unknown) => error);
    expect(endAllRunStreams()).toBeGreaterThanOrEqual(7);
    // Each SSE stream ends (its reader sees the end); the subscription ends with UNAVAILABLE, which
    // tRPC clients take as "try again"; the fan-outs and slots are gone.
    await Promise.all(readers.map((one) => one.until(Number.MAX_SAFE_INTEGER)));
    expect(await feedEnd).toMatchObject({ code: "UNAVAILABLE" });
    for (const run of runs) expect(fanoutOf(run.id)).toBeUndefined();
    expect(await eventually(slots, (n) => n === 0)).toBe(0);

    // What a client does next: reconnect (to the next process) with the last id it saw.
    await append(runs[0]!.id, outputEvents(runs[0]!.id, 11, 15));
    const again = reader((await open(runs[0]!.id, readers[0]!.seqs.at(-1))).body!);
    expect(await again.until(5)).toEqual(range(11, 15));
    await again.cancel();
  });
});
