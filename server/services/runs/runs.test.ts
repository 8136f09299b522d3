import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRunEvent } from "@/prisma-free-schema";
import { createTestRun, outputEvents } from "../../testing/runs-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { runStore } from "../../store/run-store";
import { appendRunEvents } from "../events/append-run-events";
import { saveTurnInput, withNewTurn } from "./run-turns";

let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "rhea@runs.example");
  other = await workspaceWithOwner(store, "omar@other.example");
});
afterAll(() => store.destroy());

describe("runs over tRPC", () => {
  it("lists a workspace's runs newest first, a page at a time, to any member", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push((await createTestRun(store, team.workspace.id, team.owner, { createdAt: new Date(Date.UTC(2030, 0, 1 + i)).toISOString() })).id);
    }
    const member = await addSignedInMember(store, team.workspace.id, team.owner, "mo@runs.example", []);
    const caller = callerAs(store, member);
    const first = await caller.runs.list({ workspaceId: team.workspace.id, limit: 2 });
    const second = await caller.runs.list({ workspaceId: team.workspace.id, limit: 2, cursor: first.cursor });
    expect([...first.items, ...second.items].map((run) => run.id)).toEqual([...ids].reverse());
    expect(first.items[0]).toMatchObject({ turnCount: 1, status: "running" });
    expect(await caller.runs.get({ workspaceId: team.workspace.id, runId: ids[0]! })).toMatchObject({ id: ids[0], turns: [{ turn: 1 }] });
  });

  it("answers NOT_FOUND for another workspace's run, named through either workspace", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    await expect(other.ownerCaller.runs.get({ workspaceId: other.workspace.id, runId: run.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.ownerCaller.runs.get({ workspaceId: team.workspace.id, runId: run.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("subscribes to a run's events from lastEventId, each tracked by its seq", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    await appendRunEvents({ store, workspaceId: team.workspace.id, runId: run.id, events: outputEvents(run.id, 1, 10) });
    const stream = await team.ownerCaller.runs.events({ workspaceId: team.workspace.id, runId: run.id, lastEventId: "7" });
    const seen: [string, TRunEvent][] = [];
    // Server-side, tracked() yields its [id, data] envelope; httpSubscriptionLink turns it into the SSE id.
    for await (const envelope of stream as AsyncIterable<unknown>) {
      const [id, event] = envelope as [string, TRunEvent];
      seen.push([id, event]);
      if (id === "12") break;
      if (id === "10") await appendRunEvents({ store, workspaceId: team.workspace.id, runId: run.id, events: outputEvents(run.id, 11, 12) });
    }
    expect(seen.map(([id, event]) => [id, event.seq])).toEqual([["8", 8], ["9", 9], ["10", 10], ["11", 11], ["12", 12]]);
  });

  it("refuses a 3 MB turn with a clear error, and the run goes on as it was: the run document never holds turn inputs", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner, { status: "idle", lastTurn: { turn: 1, startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), outcome: "succeeded" } });
    const huge = "x".repeat(3 * 1024 * 1024);
    const before = await team.ownerCaller.runs.get({ workspaceId: team.workspace.id, runId: run.id });
    await expect(team.ownerCaller.runs.sendTurn({ workspaceId: team.workspace.id, runId: run.id, input: huge })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at most 256 KiB/) });
    expect(await team.ownerCaller.runs.get({ workspaceId: team.workspace.id, runId: run.id })).toEqual(before);
    const runsBefore = (await team.ownerCaller.runs.list({ workspaceId: team.workspace.id, limit: 100 })).items.length;
    await expect(team.ownerCaller.runs.start({ workspaceId: team.workspace.id, profileId: run.profileId, input: huge })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await team.ownerCaller.runs.list({ workspaceId: team.workspace.id, limit: 100 })).items).toHaveLength(runsBefore);
  });

  it("keeps many large turns without the run document growing: each turn's input is a document of its own", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner);
    const big = "y".repeat(250 * 1024);
    // Twelve turns of 250 KB each: 3 MB of inputs, past what one document may hold.
    for (let turn = 2; turn <= 12; turn += 1) {
      await runStore(store).update(team.workspace.id, run.id, (current) => ({ ...withNewTurn({ ...current, lastTurn: { ...current.lastTurn!, endedAt: current.lastTurn!.startedAt } }, new Date().toISOString()) }));
      await saveTurnInput(store, (await runStore(store).get(team.workspace.id, run.id))!, big);
    }
    const detail = await team.ownerCaller.runs.get({ workspaceId: team.workspace.id, runId: run.id });
    expect(detail.turns.map((turn) => turn.turn)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(detail.turns.at(-1)!.input).toHaveLength(250 * 1024);
    const { etag: _etag, ...document } = (await runStore(store).get(team.workspace.id, run.id))!;
    expect(JSON.stringify(document).length).toBeLessThan(2_000);
  });
});

