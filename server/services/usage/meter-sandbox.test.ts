import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, type TSandbox } from "@/prisma-free-schema";
import { sandboxStore } from "../../store/sandbox-store";
import { usageStore } from "../../store/usage-store";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { tendSandboxes } from "../sandboxes/tend-sandboxes";
import { meterSandbox, secondsPerDay } from "./meter-sandbox";

describe("secondsPerDay", () => {
  it("splits a span at UTC midnights and loses no second", () => {
    const split = secondsPerDay(new Date("2026-11-21T23:59:00Z"), new Date("2026-11-23T00:01:30Z"));
    expect(split).toEqual([
      ["2026-11-21", 60, "2026-11-22T00:00:00.000Z"],
      ["2026-11-22", 86_400, "2026-11-23T00:00:00.000Z"],
      ["2026-11-23", 90, "2026-11-23T00:01:30.000Z"],
    ]);
  });

  it("gives nothing for an empty or backwards span", () => {
    expect(secondsPerDay(new Date("2026-11-22T10:00:00Z"), new Date("2026-11-22T10:00:00Z"))).toEqual([]);
    expect(secondsPerDay(new Date("2026-11-22T10:00:00Z"), new Date("2026-11-22T09:00:00Z"))).toEqual([]);
  });
});

describe("metering a managed sandbox", () => {
  let store: TestStore;
  let team: TestWorkspace;
  beforeAll(async () => {
    store = await openTestStore();
    team = await workspaceWithOwner(store, "meg@meter.example");
  });
  afterAll(() => store.destroy());

  const READY_AT = "2026-11-21T23:58:00.000Z";
  async function readySandbox(overrides: Partial<TSandbox> = {}) {
    const { etag: _etag, ...sandbox } = await sandboxStore(store).create({
      id: newId("sbx"),
      type: "sandbox",
      workspaceId: team.workspace.id,
      ownerId: team.owner.userId,
      definition: { profileId: newId("prof"), template: "shell", provider: "managed", hostId: null, image: "discoparrot/sandbox", tag: "latest", resourceClass: "small", workloadIdentityClientId: null, workloadIdentityTenantId: null, persistentWorkspace: false, agent: "shell" },
      status: "ready",
      failure: null,
      tokenExpiresAt: null,
      meteredUntil: READY_AT,
      meterPending: null,
      createdAt: READY_AT,
      readyAt: READY_AT,
      lastActiveAt: null,
      pausedAt: null,
      destroyedAt: null,
      ...overrides,
    });
    return sandbox;
  }
  /** Seconds in the usage rows of the sandbox's profile, over every day. */
  async function counted(sandbox: TSandbox) {
    const rows = await usageStore(store).since(team.workspace.id, "2026-01-01");
    return rows.filter((row) => row.profileId === sandbox.definition.profileId).reduce((sum, row) => sum + row.seconds, 0);
  }

  it("counts each second once when two passes meter the same sandbox at the same moment (two processes, or a pass and a destroy)", async () => {
    const sandbox = await readySandbox();
    const until = new Date("2026-11-22T00:03:00.000Z");
    const added = await Promise.all([meterSandbox(store, sandbox, "build", until), meterSandbox(store, sandbox, "build", until), meterSandbox(store, sandbox, "build", until)]);
    expect(added.reduce((sum, seconds) => sum + seconds, 0)).toBe(300);
    expect(await counted(sandbox)).toBe(300);
    expect(await sandboxStore(store).get(team.workspace.id, sandbox.id)).toMatchObject({ meteredUntil: until.toISOString(), meterPending: null });
  });

  it("counts an interval a crashed pass claimed but never counted, once, on the next pass", async () => {
    // What a crash right after the claim leaves: the meter moved, the interval named, no row written.
    const sandbox = await readySandbox({ meteredUntil: "2026-11-22T00:01:00.000Z", meterPending: { from: READY_AT, until: "2026-11-22T00:01:00.000Z" } });
    expect(await counted(sandbox)).toBe(0);
    expect(await meterSandbox(store, sandbox, "build", new Date("2026-11-22T00:02:00.000Z"))).toBe(240);
    expect(await counted(sandbox)).toBe(240);
    expect((await sandboxStore(store).get(team.workspace.id, sandbox.id))?.meterPending).toBeNull();
  });

  it("counts up to its own end when it meets another pass's claim (a destroy while the tend pass counts): no second is lost", async () => {
    const sandbox = await readySandbox({ meteredUntil: "2026-11-22T00:00:00.000Z", meterPending: { from: READY_AT, until: "2026-11-22T00:00:00.000Z" } });
    // The destroy meters to its own moment, later than the claim it finds.
    await meterSandbox(store, sandbox, "build", new Date("2026-11-22T00:05:00.000Z"));
    expect(await counted(sandbox)).toBe(420);
    expect(await sandboxStore(store).get(team.workspace.id, sandbox.id)).toMatchObject({ meteredUntil: "2026-11-22T00:05:00.000Z", meterPending: null });
  });

  it("does not count again an interval a crashed pass counted but did not clear", async () => {
    const sandbox = await readySandbox({ meteredUntil: "2026-11-21T23:59:00.000Z", meterPending: { from: READY_AT, until: "2026-11-21T23:59:00.000Z" } });
    // The rows have it already (the crash came between counting and clearing the claim).
    await usageStore(store).add({ workspaceId: team.workspace.id, day: "2026-11-21", profileId: sandbox.definition.profileId, profileName: "build", sandboxId: sandbox.id, until: "2026-11-21T23:59:00.000Z" }, 60);
    expect(await meterSandbox(store, sandbox, "build", new Date("2026-11-21T23:59:00.000Z"))).toBe(0);
    expect(await counted(sandbox)).toBe(60);
    expect((await sandboxStore(store).get(team.workspace.id, sandbox.id))?.meterPending).toBeNull();
  });

  it("counts, on the next tend pass, a claim a crash left on a sandbox destroyed since", async () => {
    const sandbox = await readySandbox({ status: "destroyed", destroyedAt: "2026-11-22T00:00:30.000Z", meteredUntil: "2026-11-22T00:00:30.000Z", meterPending: { from: READY_AT, until: "2026-11-22T00:00:30.000Z" } });
    // Only the store is needed: no live sandbox here has a token to refresh.
    const deps = { store, channel: undefined as never, providers: {} as never };
    await tendSandboxes(deps, new Date("2026-11-22T01:00:00.000Z"));
    expect(await counted(sandbox)).toBe(150);
    await tendSandboxes(deps, new Date("2026-11-22T01:00:00.000Z"));
    expect(await counted(sandbox)).toBe(150);
    expect((await sandboxStore(store).get(team.workspace.id, sandbox.id))?.meterPending).toBeNull();
  });

  it("never meters a bring-your-own sandbox", async () => {
    const sandbox = await readySandbox();
    const docker = { ...sandbox, definition: { ...sandbox.definition, provider: "docker" as const } };
    expect(await meterSandbox(store, docker, "build", new Date("2026-11-22T05:00:00.000Z"))).toBe(0);
    expect(await counted(sandbox)).toBe(0);
  });
});
