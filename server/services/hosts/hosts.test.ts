import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerHost } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { setWorkspacePlan } from "../workspaces/set-workspace-plan";

let store: TestStore;
let team: TestWorkspace;
let rival: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "ada@team.example");
  rival = await workspaceWithOwner(store, "rex@rival.example");
});
afterAll(() => store.destroy());

async function hostNames(caller = team.ownerCaller, workspaceId = ws()) {
  return (await caller.hosts.list({ workspaceId, limit: 200 })).items.map((h) => h.name);
}

async function fieldErrorsOf(call: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  const cause = error.cause as { issues?: { path: PropertyKey[] }[]; options?: { field?: string } } | undefined;
  const fields = cause?.issues?.map((issue) => String(issue.path[0])) ?? (cause?.options?.field ? [cause.options.field] : []);
  return { code: error.code, fields };
}

describe("host registry", () => {
  it("registers a host Awaiting operator, audited", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "prod-eks", runtimeFamilies: ["python", "node", "node"] });
    expect(host).toMatchObject({ name: "prod-eks", kind: "kubernetes", status: "awaiting-operator", runtimeFamilies: ["node", "python"], lastSeenAt: null });
    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 5, eventType: "host.registered" });
    expect(items[0]).toMatchObject({ target: { id: host.id, label: "prod-eks" }, actor: { label: "ada@team.example" } });
  });

  it.each([
    ["capitals", { name: "Prod-EKS" }, "name"],
    ["spaces", { name: "prod eks" }, "name"],
    ["a trailing dash", { name: "prod-" }, "name"],
    ["an unknown runtime family", { name: "ok-name", runtimeFamilies: ["cobol" as "node"] }, "runtimeFamilies"],
    ["no runtime family", { name: "ok-name", runtimeFamilies: [] }, "runtimeFamilies"],
    ["workload identity on a Docker host", { name: "ok-name", kind: "docker" as const, workloadIdentity: true }, "workloadIdentity"],
  ])("refuses %s with a field error and writes nothing", async (_what, input, field) => {
    const before = await hostNames();
    const { code, fields } = await fieldErrorsOf(registerHost(team.ownerCaller, ws(), input));
    expect(code).toBe("BAD_REQUEST");
    expect(fields).toContain(field);
    expect(await hostNames()).toEqual(before);
  });

  it("refuses a duplicate name in the workspace, and allows it in another", async () => {
    await registerHost(team.ownerCaller, ws(), { name: "shared-name" });
    await expect(registerHost(team.ownerCaller, ws(), { name: "shared-name", kind: "docker" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A host with this name already exists in the workspace.",
    });
    await expect(registerHost(rival.ownerCaller, rival.workspace.id, { name: "shared-name" })).resolves.toMatchObject({ name: "shared-name" });
  });

  it("lets hosts.read see hosts but not register, edit or delete them", async () => {
    const reader = callerAs(store, await addSignedInMember(store, ws(), team.owner, "rita@team.example", ["hosts.read"]));
    const host = await registerHost(team.ownerCaller, ws(), { name: "read-me" });
    expect(await hostNames(reader)).toContain("read-me");
    expect((await reader.hosts.get({ workspaceId: ws(), hostId: host.id })).name).toBe("read-me");
    await expect(registerHost(reader, ws(), { name: "sneaky" })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("hosts.manage") });
    await expect(reader.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { runtimeFamilies: ["go"], workloadIdentity: false } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(reader.hosts.delete({ workspaceId: ws(), hostId: host.id, force: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await hostNames()).toContain("read-me");
  });

  it("refuses to register without the bring-your-own entitlement, saying why", async () => {
    const small = await workspaceWithOwner(store, "sam@small.example");
    await setWorkspacePlan({ store, workspaceId: small.workspace.id, plan: "team" });
    await expect(registerHost(small.ownerCaller, small.workspace.id, { name: "not-allowed" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("not included in this workspace's plan"),
    });
    expect(await hostNames(small.ownerCaller, small.workspace.id)).toEqual([]);
  });

  it("refuses the second of two concurrent edits and keeps the first", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "edited", runtimeFamilies: ["node"] });
    await team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { runtimeFamilies: ["node", "go"], workloadIdentity: true } });
    await expect(
      team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { runtimeFamilies: ["java"], workloadIdentity: false } }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("changed by someone else") });
    expect(await team.ownerCaller.hosts.get({ workspaceId: ws(), hostId: host.id })).toMatchObject({ runtimeFamilies: ["node", "go"], workloadIdentity: true });
  });

  it("names the profiles still pointing at a host before deleting it; deleted hosts vanish but their audit rows stay", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "doomed" });
    for (const name of ["Beta jobs", "Alpha jobs"]) {
      await team.ownerCaller.profiles.create({
        workspaceId: ws(),
        name,
        hostChoice: { kind: "host", hostId: host.id },
        template: "shell",
        image: "discoparrot/sandbox",
        tag: "latest",
        resourceClass: "small",
        runtimeFamilies: [],
        workloadIdentity: null,
        persistentWorkspace: false,
      });
    }
    await expect(team.ownerCaller.hosts.delete({ workspaceId: ws(), hostId: host.id, force: false })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Profiles still point at doomed: Alpha jobs, Beta jobs. Move them to another host first, or delete anyway.",
    });
    expect(await hostNames()).toContain("doomed");

    expect(await team.ownerCaller.hosts.delete({ workspaceId: ws(), hostId: host.id, force: true })).toEqual({ strandedProfiles: ["Alpha jobs", "Beta jobs"] });
    expect(await hostNames()).not.toContain("doomed");
    await expect(team.ownerCaller.hosts.get({ workspaceId: ws(), hostId: host.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 100 });
    expect(items.filter((e) => e.target.id === host.id).map((e) => e.eventType)).toEqual(["host.deleted", "host.registered"]);
  });

  it("answers NOT_FOUND for another workspace's hosts, and changes nothing there", async () => {
    const theirs = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-host" });
    const mine = ws();
    await expect(team.ownerCaller.hosts.get({ workspaceId: rival.workspace.id, hostId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.hosts.get({ workspaceId: mine, hostId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(team.ownerCaller.hosts.delete({ workspaceId: mine, hostId: theirs.id, force: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      team.ownerCaller.hosts.update({ workspaceId: mine, hostId: theirs.id, revision: theirs.revision, changes: { runtimeFamilies: ["go"], workloadIdentity: false } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await hostNames()).not.toContain("rival-host");
    expect(await rival.ownerCaller.hosts.get({ workspaceId: rival.workspace.id, hostId: theirs.id })).toMatchObject({ runtimeFamilies: ["node"] });
  });

  it("pages through a long list with a cursor, in name order", async () => {
    const big = await workspaceWithOwner(store, "pat@paged.example");
    const names = Array.from({ length: 23 }, (_, i) => `host-${String(i).padStart(2, "0")}`);
    for (const name of [...names].reverse()) await registerHost(big.ownerCaller, big.workspace.id, { name });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await big.ownerCaller.hosts.list({ workspaceId: big.workspace.id, limit: 10, cursor });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((h) => h.name));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(names);
  });
});
