import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStore } from "../../store/run-store";
import { createTestRun } from "../../testing/runs-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { failStrandedTurnStarts } from "./stranded-turn-starts";
import { acknowledgeTurnStart, dispatchingTurnStart, holdTurnDispatch } from "./turn-start-lease";

let store: TestStore;
let team: TestWorkspace;
beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "stella@stranded.example");
});
afterAll(() => store.destroy());

const read = async (runId: string) => (await runStore(store).get(team.workspace.id, runId))!;

describe("a turn whose start was under way when its process died", () => {
  it("ends as failed, saying why, once the lease on its start has lapsed; a start still held, or taken by its sidecar, is left alone", async () => {
    const lapsed = await createTestRun(store, team.workspace.id, team.owner, { turnStart: dispatchingTurnStart(new Date(Date.now() - 60_000)) });
    const held = await createTestRun(store, team.workspace.id, team.owner, { turnStart: dispatchingTurnStart(new Date()) });
    const taken = await createTestRun(store, team.workspace.id, team.owner, { turnStart: dispatchingTurnStart(new Date(Date.now() - 60_000)) });
    await acknowledgeTurnStart(store, team.workspace.id, taken.id, 1);

    expect(await failStrandedTurnStarts({ store })).toBe(1);
    expect(await read(lapsed.id)).toMatchObject({
      status: "idle",
      turnStart: null,
      failure: expect.stringMatching(/platform stopped while it was starting this turn; send the turn again/),
      lastTurn: { turn: 1, outcome: "failed" },
    });
    expect(await read(held.id)).toMatchObject({ status: "running", turnStart: { phase: "dispatching" } });
    expect(await read(taken.id)).toMatchObject({ status: "running", turnStart: { phase: "acknowledged", until: null } });
    // A second pass finds nothing more.
    expect(await failStrandedTurnStarts({ store })).toBe(0);
  });

  it("keeps a start that takes long held while its process renews it, and lets it lapse once it stops", async () => {
    const run = await createTestRun(store, team.workspace.id, team.owner, { turnStart: dispatchingTurnStart(new Date()) });
    const stop = holdTurnDispatch(store, team.workspace.id, run.id, 1);
    const first = (await read(run.id)).turnStart!.until!;
    // Renewed every 5 s: after a renewal the lease runs from then.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const renewed = (await read(run.id)).turnStart!.until!;
    expect(renewed > first).toBe(true);
    stop();
    // The process "dies": as of after the lease's end, the pass ends the turn.
    expect(await failStrandedTurnStarts({ store }, new Date(Date.parse(renewed) + 1))).toBeGreaterThanOrEqual(1);
    expect((await read(run.id)).lastTurn?.outcome).toBe("failed");
  }, 15_000);
});
