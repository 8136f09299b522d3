import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TProfileSettings } from "@/prisma-free-schema";
import { profileSettings, registerHost } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

let store: TestStore;
let team: TestWorkspace;
let k8s: { id: string };
let k8sWithIdentity: { id: string };
let docker: { id: string };
const ws = () => team.workspace.id;
const identity = { clientId: "5f1f0c2e-8d2a-4c57-9a8e-1d2c3b4a5f60", tenantId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" };

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ada@team.example");
  k8s = await registerHost(team.ownerCaller, ws(), { name: "plain-eks" });
  k8sWithIdentity = await registerHost(team.ownerCaller, ws(), { name: "wi-eks", workloadIdentity: true });
  docker = await registerHost(team.ownerCaller, ws(), { name: "ada-laptop", kind: "docker" });
});
afterAll(() => store.destroy());

async function names() {
  return (await team.ownerCaller.profiles.list({ workspaceId: ws(), limit: 200 })).items.map((p) => p.name);
}

async function refusal(settings: TProfileSettings) {
  const error = await team.ownerCaller.profiles.create({ workspaceId: ws(), ...settings }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause as { issues?: { path: PropertyKey[] }[]; options?: { field?: string } };
  return { code: (error as TRPCError).code, message: (error as TRPCError).message, field: cause.options?.field ?? String(cause.issues?.[0]?.path[0]) };
}

describe("sandbox profiles", () => {
  it.each([
    ["a persistent workspace on Kubernetes", () => profileSettings({ name: "p1", hostChoice: { kind: "host", hostId: k8s.id }, persistentWorkspace: true }), "persistentWorkspace"],
    ["a persistent workspace on managed compute", () => profileSettings({ name: "p2", persistentWorkspace: true }), "persistentWorkspace"],
    ["a workload identity on a Docker host", () => profileSettings({ name: "p3", hostChoice: { kind: "host", hostId: docker.id }, workloadIdentity: identity }), "workloadIdentity"],
    ["a workload identity on a Kubernetes host without it", () => profileSettings({ name: "p4", hostChoice: { kind: "host", hostId: k8s.id }, workloadIdentity: identity }), "workloadIdentity"],
    ["a host that does not exist", () => profileSettings({ name: "p5", hostChoice: { kind: "host", hostId: "host_aaaaaaaaaaaaaaaaaaaa" } }), "hostChoice"],
    ["an unknown runtime family", () => profileSettings({ name: "p6", runtimeFamilies: ["fortran" as "go"] }), "runtimeFamilies"],
    ["a malformed client id", () => profileSettings({ name: "p7", hostChoice: { kind: "host", hostId: k8sWithIdentity.id }, workloadIdentity: { ...identity, clientId: "me" } }), "workloadIdentity"],
    ["a one-letter name", () => profileSettings({ name: "x" }), "name"],
  ])("refuses %s with a field error and writes nothing", async (_what, settings, field) => {
    const before = await names();
    const { code, field: got } = await refusal(settings());
    expect(code).toBe("BAD_REQUEST");
    expect(got).toBe(field);
    expect(await names()).toEqual(before);
  });

  it("accepts a workload identity on a Kubernetes host that has it, and a persistent workspace on Local Docker", async () => {
    await expect(
      team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Cloud jobs", hostChoice: { kind: "host", hostId: k8sWithIdentity.id }, workloadIdentity: identity }) }),
    ).resolves.toMatchObject({ workloadIdentity: identity });
    await expect(team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Local loop", hostChoice: { kind: "default-docker" }, persistentWorkspace: true }) })).resolves.toMatchObject({
      persistentWorkspace: true,
    });
  });

  it("keeps names unique in the workspace regardless of case", async () => {
    await team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Nightly" }) });
    await expect(team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "NIGHTLY" }) })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A profile with this name already exists in the workspace.",
    });
  });

  it("refuses the second of two concurrent saves and keeps the first", async () => {
    const profile = await team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Contested" }) });
    const { id, etag, ...seen } = profile;
    const settings = { ...profileSettings({ name: seen.name }), resourceClass: "large" as const };
    await team.ownerCaller.profiles.update({ workspaceId: ws(), profileId: id, etag, settings });
    await expect(team.ownerCaller.profiles.update({ workspaceId: ws(), profileId: id, etag, settings: { ...settings, resourceClass: "small" } })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("changed by someone else"),
    });
    expect((await team.ownerCaller.profiles.get({ workspaceId: ws(), profileId: id })).resourceClass).toBe("large");
  });

  it("lets every member read and resolve profiles, and only profiles.manage change them", async () => {
    const runner = callerAs(store, await addSignedInMember(store, ws(), team.owner, "run@team.example", ["runs.start"]));
    const [first] = (await runner.profiles.list({ workspaceId: ws(), limit: 1 })).items;
    expect(first).toBeDefined();
    await expect(runner.profiles.resolve({ workspaceId: ws(), profileId: first!.id })).resolves.toHaveProperty("ok");
    await expect(runner.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Mine" }) })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("profiles.manage"),
    });
    await expect(runner.profiles.delete({ workspaceId: ws(), profileId: first!.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("answers NOT_FOUND for another workspace's profiles", async () => {
    const rival = await workspaceWithOwner(store, "rex@rival.example");
    const [theirs] = (await rival.ownerCaller.profiles.list({ workspaceId: rival.workspace.id, limit: 1 })).items;
    await expect(team.ownerCaller.profiles.get({ workspaceId: ws(), profileId: theirs!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.profiles.resolve({ workspaceId: ws(), profileId: theirs!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.profiles.delete({ workspaceId: ws(), profileId: theirs!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.profiles.list({ workspaceId: rival.workspace.id, limit: 5 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A host of another workspace cannot be named either.
    const theirHost = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-eks" });
    const { field } = await refusal(profileSettings({ name: "Borrowed", hostChoice: { kind: "host", hostId: theirHost.id } }));
    expect(field).toBe("hostChoice");
  });

  it("audits creation, changes and deletion", async () => {
    const profile = await team.ownerCaller.profiles.create({ workspaceId: ws(), ...profileSettings({ name: "Audited" }) });
    await team.ownerCaller.profiles.update({ workspaceId: ws(), profileId: profile.id, etag: profile.etag, settings: profileSettings({ name: "Audited", tag: "v2" }) });
    await team.ownerCaller.profiles.delete({ workspaceId: ws(), profileId: profile.id });
    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 100 });
    const trail = items.filter((e) => e.target.id === profile.id);
    expect(trail.map((e) => e.eventType)).toEqual(["profile.deleted", "profile.updated", "profile.created"]);
    expect(trail[1]?.data).toMatchObject({ image: "discoparrot/sandbox:v2" });
  });
});
