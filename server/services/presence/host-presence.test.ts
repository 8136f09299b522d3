import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS, PRESENCE_TIMEOUT_SECONDS } from "@/prisma-free-schema";
import { hostStore } from "../../store/host-store";
import { registerHost } from "../../testing/hosts-fixtures";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { markSilentHostsDropped, recordCheckIn, recordOperatorConnected } from "./host-presence";

let store: TestStore;
let team: TestWorkspace;
beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "hana@presence.example");
  await team.ownerCaller.workspaces.setByoChannel({ workspaceId: team.workspace.id, enabled: true }).catch(() => undefined);
});
afterAll(() => store.destroy());

/** The host's own document as stored, with its etag: what an admin's edit is checked against. */
async function storedHost(hostId: string) {
  const { resource } = await (await store.container(CONTAINERS.hosts)).item(hostId, team.workspace.id).read<{ _etag: string; status: string }>();
  return resource!;
}

describe("a host's presence, apart from the host people edit", () => {
  it("takes an operator's check-ins without rewriting the host: an admin's edit and its audit row go through between them", async () => {
    const host = await registerHost(team.ownerCaller, team.workspace.id, { name: "presence-kube", kind: "kubernetes" });
    const at = { workspaceId: team.workspace.id, hostId: host.id };
    const before = await storedHost(host.id);
    const page = await team.ownerCaller.hosts.get({ workspaceId: team.workspace.id, hostId: host.id });

    await recordOperatorConnected(store, at);
    for (let i = 0; i < 20; i += 1) await recordCheckIn(store, at, { operatorVersion: `1.0.${i}`, health: { nodes: i } });
    // The document people edit is as it was; the host is seen with its presence.
    expect((await storedHost(host.id))._etag).toBe(before._etag);
    expect(await hostStore(store).get(team.workspace.id, host.id)).toMatchObject({ status: "registered", operatorVersion: "1.0.19", health: { nodes: 19 } });
    const listed = await team.ownerCaller.hosts.list({ workspaceId: team.workspace.id, limit: 50 });
    expect(listed.items.find((item) => item.id === host.id)).toMatchObject({ status: "registered", operatorVersion: "1.0.19" });

    // The edit made from the page opened before the check-ins, and its audit row, both land.
    const updated = await team.ownerCaller.hosts.update({ workspaceId: team.workspace.id, hostId: host.id, revision: page.updatedAt, changes: { runtimeFamilies: ["python"], workloadIdentity: true } });
    expect(updated).toMatchObject({ runtimeFamilies: ["python"], workloadIdentity: true, status: "registered", operatorVersion: "1.0.19" });
    const audit = await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 50 });
    expect(audit.items.some((row) => row.eventType === "host.updated" && row.target.id === host.id)).toBe(true);
    // The stored host still has none of the presence: status is the presence's to say.
    expect((await storedHost(host.id)).status).toBe("awaiting-operator");
  });

  it("drops a host whose operator went silent, and one registered before presence moved out (its own fields say registered)", async () => {
    const silent = await registerHost(team.ownerCaller, team.workspace.id, { name: "presence-silent", kind: "kubernetes" });
    await recordOperatorConnected(store, { workspaceId: team.workspace.id, hostId: silent.id }, new Date(Date.now() - (PRESENCE_TIMEOUT_SECONDS + 5) * 1000));
    // As an earlier release left it: registered on the host document itself, no presence document.
    const legacy = await registerHost(team.ownerCaller, team.workspace.id, { name: "presence-legacy", kind: "kubernetes" });
    const hosts = await store.container(CONTAINERS.hosts);
    const { resource } = await hosts.item(legacy.id, team.workspace.id).read<Record<string, unknown>>();
    await hosts.item(legacy.id, team.workspace.id).replace({ ...resource!, status: "registered", lastSeenAt: new Date(Date.now() - (PRESENCE_TIMEOUT_SECONDS + 5) * 1000).toISOString() });
    expect((await hostStore(store).get(team.workspace.id, legacy.id))?.status).toBe("registered");

    expect(await markSilentHostsDropped(store)).toBeGreaterThanOrEqual(2);
    expect((await hostStore(store).get(team.workspace.id, silent.id))?.status).toBe("disconnected");
    expect((await hostStore(store).get(team.workspace.id, legacy.id))?.status).toBe("disconnected");
    expect(await markSilentHostsDropped(store)).toBe(0);
  });

  it("goes with its host when the host is deleted", async () => {
    const host = await registerHost(team.ownerCaller, team.workspace.id, { name: "presence-deleted", kind: "kubernetes" });
    await recordOperatorConnected(store, { workspaceId: team.workspace.id, hostId: host.id });
    await team.ownerCaller.hosts.delete({ workspaceId: team.workspace.id, hostId: host.id, force: true });
    const { statusCode } = await (await store.container(CONTAINERS.hostPresence)).item(host.id, team.workspace.id).read();
    expect(statusCode).toBe(404);
  });
});
