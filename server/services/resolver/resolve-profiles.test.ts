import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileSettings, registerHost, setHostStatus } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

/** The profiles list's readiness column: the resolver's verdict for a page of profiles in one call. */
let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ada@ready.example");
  other = await workspaceWithOwner(store, "oz@notready.example");
});
afterAll(() => store.destroy());

describe("profiles.readiness", () => {
  it("gives each profile the same verdict profiles.resolve gives it", async () => {
    const waiting = await registerHost(team.ownerCaller, ws(), { name: "waiting-eks" });
    const ready = await registerHost(team.ownerCaller, ws(), { name: "ready-eks", runtimeFamilies: ["node"] });
    await setHostStatus(store, ws(), ready.id, "registered");
    const created = await Promise.all([
      team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "On waiting", hostChoice: { kind: "host", hostId: waiting.id } }) }),
      team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "On ready", hostChoice: { kind: "host", hostId: ready.id } }) }),
      team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Also on ready", hostChoice: { kind: "host", hostId: ready.id }, runtimeFamilies: ["node"] }) }),
      team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Mine", hostChoice: { kind: "default-docker" } }) }),
    ]);
    const { items } = await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 50 });
    const ids = items.map((profile) => profile.id);
    expect(ids).toHaveLength(5); // with the workspace's Default
    const verdicts = await team.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: ids });
    expect(verdicts.map((verdict) => verdict.profileId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const one = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: id });
      expect(verdicts.find((verdict) => verdict.profileId === id)?.resolution).toEqual(one);
    }
    const byName = (name: string) => verdicts.find((verdict) => verdict.profileId === created.find((profile) => profile.name === name)!.id)!.resolution;
    expect(byName("On waiting")).toMatchObject({ ok: false, reason: "host_not_registered" });
    expect(byName("On ready")).toMatchObject({ ok: true, host: { name: "ready-eks" } });
    expect(byName("Mine")).toMatchObject({ ok: false, reason: "no_default_docker_host" });
  });

  it("leaves out ids that are not this workspace's profiles, and shows them to no one else", async () => {
    const theirs = await other.ownerCaller.profiles.list({ workspaceId: other.workspace.id, limit: 10 });
    const ours = await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 1 });
    const verdicts = await team.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: [ours.items[0]!.id, theirs.items[0]!.id] });
    expect(verdicts.map((verdict) => verdict.profileId)).toEqual([ours.items[0]!.id]);
    await expect(other.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: [ours.items[0]!.id] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is open to every member (they launch from profiles), and refuses a malformed or oversized list", async () => {
    const viewer = await addSignedInMember(store, ws(), team.owner, "vi@ready.example", []);
    const ours = await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 1 });
    expect(await callerAs(store, viewer).profiles.readiness({ workspaceId: ws(), profileIds: [ours.items[0]!.id] })).toHaveLength(1);
    await expect(team.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(team.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: ["not a profile"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      team.ownerCaller.profiles.readiness({ workspaceId: ws(), profileIds: Array.from({ length: 201 }, () => ours.items[0]!.id) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
