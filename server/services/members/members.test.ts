import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberStore } from "../../store/member-store";
import { authenticateApiToken } from "../api-tokens/authenticate-api-token";
import { callerAs, openTestStore, signedInPerson, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

let store: TestStore;
let team: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "owen@team.example");
});
afterAll(() => store.destroy());

const ws = () => team.workspace.id;

describe("members", () => {
  it("adds a person by email who sees the workspace when they first sign in", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "Ivy@Team.Example", scopes: ["hosts.read"] });
    const waiting = await memberStore(store).findByEmail(ws(), "ivy@team.example");
    expect(waiting).toMatchObject({ userId: null, scopes: ["hosts.read"], role: "member" });

    const ivy = await signedInPerson(store, "ivy@team.example", "Ivy");
    const mine = await callerAs(store, ivy).workspaces.mine();
    expect(mine).toEqual([expect.objectContaining({ id: ws(), role: "member", scopes: ["hosts.read"] })]);
    expect((await memberStore(store).findByEmail(ws(), "ivy@team.example"))?.userId).toBe(ivy.userId);
  });

  it("refuses to add the same email twice", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "twice@team.example", scopes: ["hosts.read"] });
    await expect(team.ownerCaller.members.add({ workspaceId: ws(), email: "TWICE@team.example", scopes: ["audit.read"] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This person is already a member of the workspace.",
    });
  });

  it("refuses the second of two concurrent scope edits and keeps the first", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "edit@team.example", scopes: ["hosts.read"] });
    const seen = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.email === "edit@team.example")!;
    await team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: seen.id, scopes: ["hosts.read", "runs.start"], etag: seen.etag });
    await expect(
      team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: seen.id, scopes: ["audit.read"], etag: seen.etag }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("changed by someone else") });
    const now = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.id === seen.id)!;
    expect(now.scopes).toEqual(["hosts.read", "runs.start"]);
  });

  it("never lets the owner be edited or removed", async () => {
    const owner = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.role === "owner")!;
    await expect(team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: owner.id, scopes: ["hosts.read"], etag: owner.etag })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(team.ownerCaller.members.remove({ workspaceId: ws(), memberId: owner.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lets a manager grant only scopes they hold", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "mgr@team.example", scopes: ["members.manage", "hosts.read"] });
    const manager = callerAs(store, await signedInPerson(store, "mgr@team.example"));
    await expect(manager.members.add({ workspaceId: ws(), email: "new@team.example", scopes: ["audit.read"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("audit.read"),
    });
    expect(await memberStore(store).findByEmail(ws(), "new@team.example")).toBeUndefined();
    await manager.members.add({ workspaceId: ws(), email: "new@team.example", scopes: ["hosts.read"] });
  });

  it("audits additions, scope changes and removals with who did them", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "gone@team.example", scopes: ["hosts.read"] });
    const member = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.email === "gone@team.example")!;
    await team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: member.id, scopes: ["hosts.manage"], etag: member.etag });
    await team.ownerCaller.members.remove({ workspaceId: ws(), memberId: member.id });

    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 100 });
    const trail = items.filter((e) => e.target.id === member.id);
    expect(trail.map((e) => e.eventType)).toEqual(["member.removed", "member.updated", "member.added"]);
    expect(trail.every((e) => e.actor.label === "owen@team.example")).toBe(true);
    expect(trail[1]?.data).toMatchObject({ scopesBefore: ["hosts.read"], scopesAfter: ["hosts.read", "hosts.manage"] });
  });
});

describe("scope edits by a manager who holds fewer scopes", () => {
  it("may change what they hold and must leave alone what they do not", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "lead@team.example", scopes: ["members.manage", "hosts.read", "runs.start"] });
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "dev@team.example", scopes: ["hosts.read", "audit.read"] });
    const lead = callerAs(store, await signedInPerson(store, "lead@team.example"));
    const dev = (await lead.members.list({ workspaceId: ws() })).find((m) => m.email === "dev@team.example")!;

    const updated = await lead.members.updateScopes({ workspaceId: ws(), memberId: dev.id, scopes: ["hosts.read", "audit.read", "runs.start"], etag: dev.etag });
    expect(updated.scopes).toEqual(["hosts.read", "runs.start", "audit.read"]);
    await expect(lead.members.updateScopes({ workspaceId: ws(), memberId: dev.id, scopes: ["hosts.read", "runs.start"], etag: updated.etag })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("audit.read"),
    });
  });
});

describe("removing a member follows the scope rule", () => {
  it("refuses a manager who would take away a scope they lack, and lets them remove someone within their scopes", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "remover@team.example", scopes: ["members.manage", "hosts.read"] });
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "auditor@team.example", scopes: ["hosts.read", "audit.read"] });
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "reader@team.example", scopes: ["hosts.read"] });
    const remover = callerAs(store, await signedInPerson(store, "remover@team.example"));
    const list = await remover.members.list({ workspaceId: ws() });
    const auditor = list.find((m) => m.email === "auditor@team.example")!;
    const reader = list.find((m) => m.email === "reader@team.example")!;

    await expect(remover.members.remove({ workspaceId: ws(), memberId: auditor.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("audit.read"),
    });
    expect((await memberStore(store).get(ws(), auditor.id))?.scopes).toEqual(["hosts.read", "audit.read"]);
    const trail = (await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 100 })).items;
    expect(trail.some((e) => e.eventType === "member.removed" && e.target.id === auditor.id)).toBe(false);

    // A scope implied by one held (hosts.manage includes hosts.read) counts as held.
    await remover.members.remove({ workspaceId: ws(), memberId: reader.id });
    expect(await memberStore(store).get(ws(), reader.id)).toBeUndefined();
  });

  it("refuses a manager removing another manager who holds more, even through an API token of the owner's narrower scopes", async () => {
    await team.ownerCaller.members.add({ workspaceId: ws(), email: "admin2@team.example", scopes: ["members.manage", "hosts.manage", "runs.start"] });
    const admin2 = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.email === "admin2@team.example")!;
    const { bearer } = await team.ownerCaller.apiTokens.create({ workspaceId: ws(), name: "narrow", scopes: ["members.manage", "hosts.read"], expiresInDays: 1 });
    const viaToken = callerAs(store, await authenticateApiToken(store, bearer));
    await expect(viaToken.members.remove({ workspaceId: ws(), memberId: admin2.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await memberStore(store).get(ws(), admin2.id)).toBeDefined();
  });
});
