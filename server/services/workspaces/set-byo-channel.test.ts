import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore } from "../../testing/test-store";
import { setWorkspacePlan } from "./set-workspace-plan";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.destroy());

describe("the bring-your-own channel switch", () => {
  it("starts off, is turned on by hosts.manage, audited, and shows on the workspace", async () => {
    const team = await workspaceWithOwner(store, "ora@chan.example");
    const ws = team.workspace.id;
    expect((await team.ownerCaller.workspaces.get({ workspaceId: ws })).byoChannelConfigured).toBe(false);

    const reader = callerAs(store, await addSignedInMember(store, ws, team.owner, "rob@chan.example", ["hosts.read"]));
    await expect(reader.workspaces.setByoChannel({ workspaceId: ws, enabled: true })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await team.ownerCaller.workspaces.setByoChannel({ workspaceId: ws, enabled: true });
    expect((await team.ownerCaller.workspaces.get({ workspaceId: ws })).byoChannelConfigured).toBe(true);
    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws, limit: 5, eventType: "workspace.byo_channel_changed" });
    expect(items[0]?.data).toEqual({ enabled: true });
  });

  it("cannot be turned on without the bring-your-own entitlement", async () => {
    const small = await workspaceWithOwner(store, "sid@small.example");
    await setWorkspacePlan({ store, workspaceId: small.workspace.id, plan: "team" });
    await expect(small.ownerCaller.workspaces.setByoChannel({ workspaceId: small.workspace.id, enabled: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("not included in this workspace's plan"),
    });
  });
});
