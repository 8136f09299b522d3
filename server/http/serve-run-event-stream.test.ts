import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/runs/[runId]/events/route";
import { CONTAINERS, newId, type TRunEvent } from "@/prisma-free-schema";
import type { Store } from "../store/store";
import { createTestRun, outputEvents } from "../testing/runs-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../testing/test-store";
import { appendRunEvents } from "../services/events/append-run-events";
import { getRunEventBus } from "../services/events/run-event-bus";
import { RUN_NOT_FOUND_BODY, serveRunEventStream } from "./serve-run-event-stream";

let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;
let teamBearer: string;
let otherBearer: string;

// The route handler opens the process's store through getStore(); point it at the test store.
const STORE_KEY = Symbol.for("discoparrot.store");
const holder = globalThis as { [STORE_KEY]?: Promise<Store> };

beforeAll(async () => {
  store = await openTestStore();
  holder[STORE_KEY] = Promise.resolve(store);
  team = await workspaceWithOwner(store, "sam@stream.example");
  other = await workspaceWithOwner(store, "oz@elsewhere.example");
  const mint = (who: typeof team) => who.ownerCaller.apiTokens.create({ workspaceId: who.workspace.id, name: "stream reader", scopes: ["hosts.read"], expiresInDays: 1 });
  teamBearer = (await mint(team)).bearer;
  otherBearer = (await mint(other)).bearer;
});
afterAll(async () => {
  delete holder[STORE_KEY];
  await store.destroy();
});

function get(runId: string, options: { bearer?: string; headers?: Record<string, string>; query?: string; signal?: AbortSignal } = {}) {
  const headers = { ...options.headers, ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}) };
  const request = new Request(`http://localhost:3000/api/runs/${runId}/events${options.query ?? ""}`, { headers, signal: options.signal });
  return GET(request, { params: Promise.resolve({ runId }) });
}

interface Frame {
  id?: string;
  event?: string;
  data?: TRunEvent;
  comment?: string;
}

/** Reads SSE frames off the body until `done` says enough, then hangs up like a browser tab closing. */
async function readFrames(response: Response, abort: AbortController, done: (frames: Frame[]) => boolean): Promise<Frame[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Frame[] = [];
  let buffer = "";
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    while (!done(frames)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame: Frame = {};
        for (const line of buffer.slice(0, end).split("\n")) {
          if (line.startsWith(":")) frame.comment = line.slice(1).trim();
          else if (line.startsWith("id: ")) frame.id = line.slice(4);
          else if (line.startsWith("event: ")) frame.event = line.slice(7);
          else if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6)) as TRunEvent;
        }
        frames.push(frame);
        buffer = buffer.slice(end + 2);
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  }
  return frames;
}

const eventFrames = (frames: Frame[]) => frames.filter((frame) => frame.event === "run-event");

describe("GET /api/runs/:runId/events", () => {
  it("streams stored events, then live ones, as SSE frames with the seq as id", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    await appendRunEvents({ store, workspaceId: team.workspace.id, runId: run.id, events: outputEvents(run.id, 1, 3) });
    const abort = new AbortController();
    const response = await get(run.id, { bearer: teamBearer, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");

    const reading = readFrames(response, abort, (frames) => eventFrames(frames).length >= 5);
    await appendRunEvents({ store, workspaceId: team.workspace.id, runId: run.id, events: outputEvents(run.id, 4, 5) });
    const frames = eventFrames(await reading);
    expect(frames.map((frame) => frame.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(frames[3]!.data).toMatchObject({ runId: run.id, seq: 4, kind: "output", text: "line 4\n" });
  });

  it("resumes after Last-Event-ID (or ?cursor=) with exactly the rest", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    await appendRunEvents({ store, workspaceId: team.workspace.id, runId: run.id, events: outputEvents(run.id, 1, 60) });
    const resume = async (options: Parameters<typeof get>[1]) => {
      const abort = new AbortController();
      const response = await get(run.id, { bearer: teamBearer, signal: abort.signal, ...options });
      return eventFrames(await readFrames(response, abort, (frames) => eventFrames(frames).at(-1)?.id === "60")).map((frame) => Number(frame.id));
    };
    expect(await resume({ headers: { "last-event-id": "41" } })).toEqual(Array.from({ length: 19 }, (_, i) => 42 + i));
    expect(await resume({ query: "?cursor=57" })).toEqual([58, 59, 60]);
    // The header wins over the query: it is what EventSource sends when it reconnects.
    expect(await resume({ headers: { "last-event-id": "58" }, query: "?cursor=3" })).toEqual([59, 60]);
  });

  it("answers a member of another workspace exactly as it answers a run that does not exist", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    const foreign = await get(run.id, { bearer: otherBearer });
    const unknown = await get(newId("run"), { bearer: teamBearer });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await foreign.text()).toBe(RUN_NOT_FOUND_BODY);
    expect(await unknown.text()).toBe(RUN_NOT_FOUND_BODY);
  });

  it("refuses callers without credentials, revoked tokens, bad ids and bad cursors", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    expect((await get(run.id, { bearer: "dpt_tok_nottherealthing" })).status).toBe(401);
    expect((await get("not-a-run", { bearer: teamBearer })).status).toBe(400);
    expect((await get(run.id, { bearer: teamBearer, headers: { "last-event-id": "-1" } })).status).toBe(400);
  });

  it("sends a keep-alive comment while nothing happens, and lets go when the client disconnects", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    const abort = new AbortController();
    const request = new Request(`http://localhost:3000/api/runs/${run.id}/events`, { headers: { authorization: `Bearer ${teamBearer}` }, signal: abort.signal });
    const response = await serveRunEventStream(request, run.id, { store, heartbeatMs: 20 });
    const frames = await readFrames(response, abort, (seen) => seen.some((frame) => frame.comment === "keep-alive"));
    expect(frames.some((frame) => frame.comment === "keep-alive")).toBe(true);
    await vi.waitFor(() => expect(getRunEventBus().listenerCount(run.id)).toBe(0));
  });

  describe("re-checks the caller while the stream is open", () => {
    const CHECK_MS = 50;

    /** Opens a stream as `bearer` checking access every CHECK_MS; `ended` settles when the body closes. */
    async function openChecked(runId: string, bearer: string) {
      const abort = new AbortController();
      const request = new Request(`http://localhost:3000/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${bearer}` }, signal: abort.signal });
      const response = await serveRunEventStream(request, runId, { store, accessCheckMs: CHECK_MS });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const ended = (async () => {
        for (;;) if ((await reader.read()).done) return "closed";
      })();
      const within = (ms: number) => Promise.race([ended, new Promise<string>((resolve) => setTimeout(() => resolve("still open"), ms))]);
      return { within, close: () => abort.abort() };
    }
    const leasesOf = async (tokenId: string) => {
      const container = await store.container(CONTAINERS.streamLeases);
      const query = { query: "SELECT VALUE COUNT(1) FROM c WHERE c.principal = @p", parameters: [{ name: "@p", value: `token:${tokenId}` }] };
      return (await container.items.query<number>(query).fetchAll()).resources[0] ?? 0;
    };

    it("closes a token's stream once the token is revoked, and frees its slot", async () => {
      const run = await createTestRun(store, team.workspace.id, team.owner);
      const minted = await team.ownerCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "soon revoked", scopes: ["hosts.read"], expiresInDays: 1 });
      const stream = await openChecked(run.id, minted.bearer);
      expect(await stream.within(CHECK_MS * 4)).toBe("still open");
      expect(await leasesOf(minted.token.id)).toBe(1);

      await team.ownerCaller.apiTokens.revoke({ workspaceId: team.workspace.id, tokenId: minted.token.id });
      expect(await stream.within(2000)).toBe("closed");
      expect(await leasesOf(minted.token.id)).toBe(0);
      stream.close();
    });

    it("closes a member's stream once they are removed from the workspace", async () => {
      const run = await createTestRun(store, team.workspace.id, team.owner);
      const kim = await addSignedInMember(store, team.workspace.id, team.owner, "kim@stream.example", ["hosts.read"]);
      const minted = await callerAs(store, kim).apiTokens.create({ workspaceId: team.workspace.id, name: "kim's", scopes: ["hosts.read"], expiresInDays: 1 });
      const stream = await openChecked(run.id, minted.bearer);
      expect(await stream.within(CHECK_MS * 4)).toBe("still open");

      const member = (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.userId === kim.userId)!;
      await team.ownerCaller.members.remove({ workspaceId: team.workspace.id, memberId: member.id });
      expect(await stream.within(2000)).toBe("closed");
      expect(await leasesOf(minted.token.id)).toBe(0);
      stream.close();
    });
  });
});
