import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerHost } from "../../testing/hosts-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

let store: TestStore;
let team: TestWorkspace;
let rival: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "rena@rename.example");
  rival = await workspaceWithOwner(store, "rick@rival.example");
});
afterAll(() => store.destroy());

describe("renaming a host", () => {
  it("renames it, keeps what it serves, and audits the old and new names", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "old-name", kind: "docker", runtimeFamilies: ["python"] });
    const renamed = await team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { name: "new-name", runtimeFamilies: ["python"], workloadIdentity: false } });
    expect(renamed).toMatchObject({ id: host.id, name: "new-name", runtimeFamilies: ["python"] });
    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 1, eventType: "host.updated" });
    expect(items[0]).toMatchObject({ target: { id: host.id, label: "new-name" }, data: { nameBefore: "old-name", nameAfter: "new-name" } });
  });

  it("refuses a name another host of the workspace has, on the name field, and a malformed one", async () => {
    await registerHost(team.ownerCaller, ws(), { name: "taken-name", kind: "docker" });
    const host = await registerHost(team.ownerCaller, ws(), { name: "free-name", kind: "docker" });
    const changes = { runtimeFamilies: ["node" as const], workloadIdentity: false };
    await expect(team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { ...changes, name: "taken-name" } })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { options: { field: "name" } },
    });
    await expect(team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { ...changes, name: "Not OK" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await team.ownerCaller.hosts.get({ workspaceId: ws(), hostId: host.id })).name).toBe("free-name");
  });

  it("keeps a Kubernetes host's name, which names its namespace, and says why", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "prod-cluster", kind: "kubernetes" });
    await expect(
      team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { name: "prod-old", runtimeFamilies: ["node"], workloadIdentity: false } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/namespace/), cause: { options: { field: "name" } } });
    expect((await team.ownerCaller.hosts.get({ workspaceId: ws(), hostId: host.id })).name).toBe("prod-cluster");
    // Its other settings still change.
    await expect(team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: host.id, revision: host.revision, changes: { name: "prod-cluster", runtimeFamilies: ["python"], workloadIdentity: false } })).resolves.toMatchObject({ runtimeFamilies: ["python"] });
  });

  it("cannot rename another workspace's host", async () => {
    const theirs = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "their-host", kind: "docker" });
    await expect(
      team.ownerCaller.hosts.update({ workspaceId: ws(), hostId: theirs.id, revision: theirs.revision, changes: { name: "mine-now", runtimeFamilies: ["node"], workloadIdentity: false } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
