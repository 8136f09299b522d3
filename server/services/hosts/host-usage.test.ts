import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCheckIn } from "../presence/host-presence";
import { profileSettings, registerHost, setHostStatus } from "../../testing/hosts-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import { warmSpecOf } from "./docker-pools";

let store: TestStore;
let team: TestWorkspace;
let rival: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "uma@usage.example");
  rival = await workspaceWithOwner(store, "rob@rival.example");
});
afterAll(() => store.destroy());

/** The definition key a pool of this profile has on this host: what its operator counts by. */
async function definitionKeyOf(profileId: string, hostId: string): Promise<string> {
  return warmSpecOf((await profileStore(store).get(ws(), profileId))!, (await hostStore(store).get(ws(), hostId))!).definitionKey;
}

describe("the profiles that use a host, and their warm pools", () => {
  it("lists profiles pinned to a Docker host and those on “My default Docker host”, not those elsewhere, with each pool's ready count as the operator last checked in", async () => {
    const caller = team.ownerCaller;
    const host = await registerHost(caller, ws(), { name: "usage-laptop", kind: "docker" });
    const other = await registerHost(caller, ws(), { name: "usage-other", kind: "docker" });
    const pinned = await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Pinned here", hostChoice: { kind: "host", hostId: host.id } }) });
    const roaming = await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Anyone's Docker", hostChoice: { kind: "default-docker" } }) });
    await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Elsewhere", hostChoice: { kind: "host", hostId: other.id } }) });
    await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Managed one" }) });
    const saved = await caller.hosts.updateDockerSettings({ workspaceId: ws(), hostId: host.id, revision: host.revision, settings: { network: "bridge", warmPools: [{ profileId: pinned.id, size: 3 }] } });
    expect(saved.docker.warmPools).toEqual([{ profileId: pinned.id, size: 3 }]);

    // Before its operator ever connected: the pools and their sizes, the ready counts unknown.
    const offline = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    expect(offline.profiles.map((profile) => [profile.name, profile.via, profile.warmPool])).toEqual([
      ["Anyone's Docker", "default-docker", null],
      ["Pinned here", "host", { wanted: 3, ready: null }],
    ]);
    expect(offline).toMatchObject({ warmCounts: "operator-offline", countsAt: null });

    // Its operator checks in saying two are ready: the page shows two, and when it said so.
    const at = { workspaceId: ws(), hostId: host.id };
    const key = await definitionKeyOf(pinned.id, host.id);
    const checkedInAt = new Date(Date.now() - 12_000);
    await recordCheckIn(store, at, { operatorVersion: "1.0.0", health: {}, warmPools: [{ definitionKey: key, ready: 2, size: 3 }] }, checkedInAt);
    const live = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    expect(live).toMatchObject({ warmCounts: "live", countsAt: checkedInAt.toISOString() });
    expect(live.profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: 2 });
    expect(live.profiles.find((profile) => profile.id === roaming.id)?.warmPool).toBeNull();

    // A pool the operator has not been told of yet has none ready; more than wanted (adopted, about to go) reads as full.
    await recordCheckIn(store, at, { operatorVersion: "1.0.0", health: {}, warmPools: [] });
    expect((await caller.hosts.usage({ workspaceId: ws(), hostId: host.id })).profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: 0 });
    await recordCheckIn(store, at, { operatorVersion: "1.0.0", health: {}, warmPools: [{ definitionKey: key, ready: 5, size: 5 }] });
    expect((await caller.hosts.usage({ workspaceId: ws(), hostId: host.id })).profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: 3 });

    // An operator older than the report (its check-ins carry none): no stale count from before is shown.
    await recordCheckIn(store, at, { operatorVersion: "0.9.0", health: {} });
    const older = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    expect(older).toMatchObject({ warmCounts: "unavailable", countsAt: null });
    expect(older.profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: null });

    // Dropped: the last counts are not passed off as current.
    await recordCheckIn(store, at, { operatorVersion: "1.0.0", health: {}, warmPools: [{ definitionKey: key, ready: 2, size: 3 }] });
    await setHostStatus(store, ws(), host.id, "disconnected");
    const dropped = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    expect(dropped).toMatchObject({ warmCounts: "operator-offline", countsAt: null });
    expect(dropped.profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: null });
  });

  it("shows only this workspace's profiles, whatever definitions an operator reports (another workspace's included)", async () => {
    const caller = team.ownerCaller;
    const host = await registerHost(caller, ws(), { name: "usage-mixed", kind: "docker" });
    const mine = await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Mine warm", hostChoice: { kind: "host", hostId: host.id } }) });
    const current = await caller.hosts.get({ workspaceId: ws(), hostId: host.id });
    await caller.hosts.updateDockerSettings({ workspaceId: ws(), hostId: host.id, revision: current.revision, settings: { network: "bridge", warmPools: [{ profileId: mine.id, size: 2 }] } });
    const theirHost = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-warm", kind: "docker" });
    const theirs = await rival.ownerCaller.profiles.create({ workspaceId: rival.workspace.id, ...profileSettings({ name: "Rival secret project", hostChoice: { kind: "host", hostId: theirHost.id } }) });
    const theirKey = warmSpecOf((await profileStore(store).get(rival.workspace.id, theirs.id))!, (await hostStore(store).get(rival.workspace.id, theirHost.id))!).definitionKey;

    await recordCheckIn(store, { workspaceId: ws(), hostId: host.id }, {
      operatorVersion: "1.0.0",
      health: {},
      warmPools: [
        { definitionKey: theirKey, ready: 4, size: 4 },
        { definitionKey: "f".repeat(64), ready: 9, size: 9 },
        { definitionKey: await definitionKeyOf(mine.id, host.id), ready: 1, size: 2 },
      ],
    });
    const usage = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    // (The earlier test's “My default Docker host” profile lands here too, without a pool.)
    expect(usage.profiles.filter((profile) => profile.warmPool)).toEqual([{ id: mine.id, name: "Mine warm", via: "host", warmPool: { wanted: 2, ready: 1 } }]);
    expect(JSON.stringify(usage)).not.toContain(theirs.id);
    expect(JSON.stringify(usage)).not.toContain("Rival secret project");
    // And the rival's own host is untouched by what this operator said.
    expect((await rival.ownerCaller.hosts.usage({ workspaceId: rival.workspace.id, hostId: theirHost.id })).warmCounts).toBe("no-pools");
    expect(await hostStore(store).reportedWarmPools(rival.workspace.id, theirHost.id)).toBeNull();
  });

  it("lists only pinned profiles on a Kubernetes host (“My default Docker host” never lands there)", async () => {
    const caller = team.ownerCaller;
    const cluster = await registerHost(caller, ws(), { name: "usage-eks" });
    await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "On the cluster", hostChoice: { kind: "host", hostId: cluster.id } }) });
    const usage = await caller.hosts.usage({ workspaceId: ws(), hostId: cluster.id });
    expect(usage.profiles.map((profile) => profile.name)).toEqual(["On the cluster"]);
    expect(usage.warmCounts).toBe("no-pools");
  });

  it("answers NOT_FOUND for another workspace's host, whether asked through one's own workspace or theirs", async () => {
    const theirs = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-laptop", kind: "docker" });
    await expect(team.ownerCaller.hosts.usage({ workspaceId: ws(), hostId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.hosts.usage({ workspaceId: rival.workspace.id, hostId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a malformed host id with a typed error, not a 500", async () => {
    await expect(team.ownerCaller.hosts.usage({ workspaceId: ws(), hostId: "../etc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
