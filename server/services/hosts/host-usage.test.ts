import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_COMMANDS } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformChannel } from "../../channel/platform-channel";
import { profileSettings, registerHost } from "../../testing/hosts-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import { warmSpecOf } from "./docker-pools";
import { hostUsage } from "./host-usage";

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

/** An operator that is connected and answers pool.status with `ready` per definition key. */
function answeringChannel(ready: (definitionKey: string) => number, sizes: Map<string, number>): PlatformChannel & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isConnected: async () => true,
    send: async (_to: string, type: string) => {
      asked.push(type);
      return { pools: [...sizes].map(([definitionKey, size]) => ({ definitionKey, size, ready: ready(definitionKey) })) };
    },
  } as unknown as PlatformChannel & { asked: string[] };
}

describe("the profiles that use a host, and their warm pools", () => {
  it("lists profiles pinned to a Docker host and those on “My default Docker host”, not those elsewhere, with each pool's live ready count", async () => {
    const caller = team.ownerCaller;
    const host = await registerHost(caller, ws(), { name: "usage-laptop", kind: "docker" });
    const other = await registerHost(caller, ws(), { name: "usage-other", kind: "docker" });
    const pinned = await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Pinned here", hostChoice: { kind: "host", hostId: host.id } }) });
    const roaming = await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Anyone's Docker", hostChoice: { kind: "default-docker" } }) });
    await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Elsewhere", hostChoice: { kind: "host", hostId: other.id } }) });
    await caller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Managed one" }) });
    const saved = await caller.hosts.updateDockerSettings({ workspaceId: ws(), hostId: host.id, revision: host.revision, settings: { network: "bridge", warmPools: [{ profileId: pinned.id, size: 3 }] } });
    expect(saved.docker.warmPools).toEqual([{ profileId: pinned.id, size: 3 }]);

    // Without a connected operator: the pools and their sizes, the ready counts unknown.
    const offline = await caller.hosts.usage({ workspaceId: ws(), hostId: host.id });
    expect(offline.profiles.map((profile) => [profile.name, profile.via, profile.warmPool])).toEqual([
      ["Anyone's Docker", "default-docker", null],
      ["Pinned here", "host", { wanted: 3, ready: null }],
    ]);
    expect(offline.warmCounts).toBe("operator-offline");

    // With one: how many are ready, as the operator counts them now, and nothing reconfigured.
    const stored = (await hostStore(store).get(ws(), host.id))!;
    const key = warmSpecOf((await profileStore(store).get(ws(), pinned.id))!, stored).definitionKey;
    const channel = answeringChannel((definitionKey) => (definitionKey === key ? 2 : 0), new Map([[key, 3]]));
    const access = await resolveWorkspaceAccess(store, team.owner, ws(), "hosts.read");
    const live = await hostUsage({ store, access, hostId: host.id, channel });
    expect(live.warmCounts).toBe("live");
    expect(live.profiles.find((profile) => profile.id === pinned.id)?.warmPool).toEqual({ wanted: 3, ready: 2 });
    expect(live.profiles.find((profile) => profile.id === roaming.id)?.warmPool).toBeNull();
    expect(channel.asked).toEqual([OPERATOR_COMMANDS.poolStatus]);
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
