import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRunEvent } from "@/prisma-free-schema";
import { createTestRun, outputEvents } from "../../testing/runs-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { appendRunEvents } from "../events/append-run-events";

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
});
