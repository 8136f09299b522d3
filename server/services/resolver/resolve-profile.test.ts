import { recordCheckIn } from "../presence/host-presence";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerHost, setHostStatus, profileSettings } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { setWorkspacePlan } from "../workspaces/set-workspace-plan";

let store: TestStore;
let team: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ada@team.example");
});
afterAll(() => store.destroy());

async function profileOn(name: string, hostChoice: Parameters<typeof profileSettings>[0]["hostChoice"], runtimeFamilies: ("node" | "python" | "go")[] = []) {
  return team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name, hostChoice, runtimeFamilies }) });
}

describe("the resolver", () => {
  it("sends a workspace's first profile to managed compute with no setup", async () => {
    const { items } = await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 10 });
    expect(items.map((p) => p.name)).toEqual(["Default"]);
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: items[0]!.id })).toEqual({
      ok: true,
      provider: "managed",
      host: null,
      viaDefaultDockerHost: false,
    });
  });

  it("refuses a host whose operator has not connected, naming the host and what to do", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "prod-eks", runtimeFamilies: ["node", "python"] });
    expect(host.status).toBe("awaiting-operator");
    const profile = await profileOn("eks work", { kind: "host", hostId: host.id }, ["node"]);
    const resolution = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id });
    expect(resolution).toMatchObject({ ok: false, reason: "host_not_registered", host: { name: "prod-eks" } });
    expect(resolution.ok ? "" : resolution.message).toMatch(/prod-eks.*new work launches only on a registered host/i);
  });

  it("refuses a host whose connection dropped", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "flaky" });
    await setHostStatus(store, ws(), host.id, "disconnected");
    const profile = await profileOn("flaky work", { kind: "host", hostId: host.id });
    const resolution = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id });
    expect(resolution).toMatchObject({ ok: false, reason: "host_not_registered" });
    expect(resolution.ok ? "" : resolution.message).toContain("connection dropped");
  });

  it("lands on a registered host that serves the profile's runtime families", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "ready-eks", runtimeFamilies: ["node", "python"] });
    await setHostStatus(store, ws(), host.id, "registered");
    const profile = await profileOn("ready work", { kind: "host", hostId: host.id }, ["python"]);
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toEqual({
      ok: true,
      provider: "kubernetes",
      host: { id: host.id, name: "ready-eks", kind: "kubernetes", workloadIdentity: false },
      viaDefaultDockerHost: false,
    });
  });

  it("refuses a connected host whose operator reports it cannot launch, with the operator's reason", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "no-rbac-eks" });
    await setHostStatus(store, ws(), host.id, "registered");
    const at = { workspaceId: ws(), hostId: host.id };
    await recordCheckIn(store, at, { operatorVersion: "0.1.0", health: { ready: false, notReady: "the operator's Role does not grant create pods" } });
    const profile = await profileOn("blocked work", { kind: "host", hostId: host.id });
    const resolution = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id });
    expect(resolution).toMatchObject({ ok: false, reason: "host_not_ready", host: { name: "no-rbac-eks" } });
    expect(resolution.ok ? "" : resolution.message).toContain("does not grant create pods");
    // Ready again at the next check-in: it launches.
    await recordCheckIn(store, at, { operatorVersion: "0.1.0", health: { ready: true } });
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toMatchObject({ ok: true });
  });

  it("names the runtime families a host does not serve", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "node-only", runtimeFamilies: ["node"] });
    await setHostStatus(store, ws(), host.id, "registered");
    const profile = await profileOn("polyglot", { kind: "host", hostId: host.id }, ["node", "python", "go"]);
    const resolution = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id });
    expect(resolution).toMatchObject({ ok: false, reason: "runtime_families_missing", missingRuntimeFamilies: ["python", "go"] });
    expect(resolution.ok ? "" : resolution.message).toContain("python, go");
  });

  it("says the host was deleted once it is", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "short-lived" });
    await setHostStatus(store, ws(), host.id, "registered");
    const profile = await profileOn("orphan", { kind: "host", hostId: host.id });
    await team.ownerCaller.hosts.delete({ workspaceId: ws(), hostId: host.id, force: true });
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toMatchObject({ ok: false, reason: "host_deleted" });
  });

  it("resolves 'my default Docker host' per person, so teammates land on their own machines", async () => {
    const profile = await profileOn("local dev", { kind: "default-docker" }, ["node"]);
    const bea = await addSignedInMember(store, ws(), team.owner, "bea@team.example", ["hosts.manage"]);
    const beaCaller = callerAs(store, bea);

    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toMatchObject({ ok: false, reason: "no_default_docker_host" });

    const adaLaptop = await registerHost(team.ownerCaller, ws(), { name: "ada-laptop", kind: "docker" });
    const beaLaptop = await registerHost(beaCaller, ws(), { name: "bea-laptop", kind: "docker" });
    await setHostStatus(store, ws(), adaLaptop.id, "registered");
    await setHostStatus(store, ws(), beaLaptop.id, "registered");
    await team.ownerCaller.hosts.setMyDefaultDocker({ workspaceId: ws(), hostId: adaLaptop.id });
    await beaCaller.hosts.setMyDefaultDocker({ workspaceId: ws(), hostId: beaLaptop.id });

    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toMatchObject({
      ok: true,
      provider: "docker",
      host: { name: "ada-laptop" },
      viaDefaultDockerHost: true,
    });
    expect(await beaCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id })).toMatchObject({ ok: true, host: { name: "bea-laptop" } });

    // Only a Local Docker host you registered yourself can be your default.
    await expect(beaCaller.hosts.setMyDefaultDocker({ workspaceId: ws(), hostId: adaLaptop.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const eks = await registerHost(team.ownerCaller, ws(), { name: "not-docker" });
    await expect(team.ownerCaller.hosts.setMyDefaultDocker({ workspaceId: ws(), hostId: eks.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    // Deleting the host clears the default: the person is told to choose another.
    await team.ownerCaller.hosts.delete({ workspaceId: ws(), hostId: adaLaptop.id, force: true });
    const after = await team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: profile.id });
    expect(after).toMatchObject({ ok: false, reason: "no_default_docker_host" });
  });

  it("refuses every bring-your-own host once the plan no longer includes them, and keeps managed working", async () => {
    const other = await workspaceWithOwner(store, "cy@smallco.example");
    const host = await registerHost(other.ownerCaller, other.workspace.id, { name: "cy-eks" });
    await setHostStatus(store, other.workspace.id, host.id, "registered");
    const byo = await other.ownerCaller.profiles.create({ workspaceId: other.workspace.id, ...profileSettings({ name: "byo", hostChoice: { kind: "host", hostId: host.id } }) });
    await setWorkspacePlan({ store, workspaceId: other.workspace.id, plan: "team" });

    const refused = await other.ownerCaller.profiles.resolve({ workspaceId: other.workspace.id, profileId: byo.id });
    expect(refused).toMatchObject({ ok: false, reason: "not_entitled" });
    expect(refused.ok ? "" : refused.message).toMatch(/not included in this workspace's plan/);
    const [managed] = (await other.ownerCaller.profiles.list({ workspaceId: other.workspace.id, limit: 10 })).items.filter((p) => p.name === "Default");
    expect(await other.ownerCaller.profiles.resolve({ workspaceId: other.workspace.id, profileId: managed!.id })).toMatchObject({ ok: true, provider: "managed" });
  });
});
