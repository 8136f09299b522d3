import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { isSessionLive, startSession } from "../sessions/sessions";
import { authenticateApiToken } from "../api-tokens/authenticate-api-token";
import { addSignedInMember, callerAs, inviteTokenOf, openTestStore, signedInPerson, workspaceWithOwner, type TestStore, type TestWorkspace, withContainerDown } from "../../testing/test-store";

let store: TestStore;
let team: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "owen@team.example");
});
afterAll(() => store.destroy());

const ws = () => team.workspace.id;
const memberOf = async (email: string) => (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.email === email);

describe("members", () => {
  it("adding a person issues an invite link; whoever accepts it gets the workspace with the chosen scopes", async () => {
    const { link } = await team.ownerCaller.members.add({ workspaceId: ws(), email: "Ivy@Team.Example", scopes: ["hosts.read"] });
    expect(link).toMatch(/^http:\/\/localhost:3000\/invite#dpi_/);
    // Having the email is not having the invite: Ivy signing in sees nothing until she opens the link.
    const ivy = await signedInPerson(store, "ivy@team.example", "Ivy");
    expect(await callerAs(store, ivy).workspaces.mine()).toEqual([]);

    await callerAs(store, ivy).invites.accept({ token: inviteTokenOf(link) });
    const mine = await callerAs(store, ivy).workspaces.mine();
    expect(mine).toEqual([expect.objectContaining({ id: ws(), role: "member", scopes: ["hosts.read"] })]);
    expect((await memberOf("ivy@team.example"))?.userId).toBe(ivy.userId);
  });

  it("refuses a second invite accepted by someone who is already a member, and leaves it unused", async () => {
    const person = await addSignedInMember(store, ws(), team.owner, "twice@team.example", ["hosts.read"]);
    const { link } = await team.ownerCaller.members.add({ workspaceId: ws(), email: "twice@team.example", scopes: ["audit.read"] });
    await expect(callerAs(store, person).invites.accept({ token: inviteTokenOf(link) })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already a member"),
    });
    expect((await memberOf("twice@team.example"))?.scopes).toEqual(["hosts.read"]);
    expect((await team.ownerCaller.members.invites({ workspaceId: ws() })).some((i) => i.email === "twice@team.example")).toBe(true);
  });

  it("refuses the second of two concurrent scope edits and keeps the first", async () => {
    await addSignedInMember(store, ws(), team.owner, "edit@team.example", ["hosts.read"]);
    const seen = (await memberOf("edit@team.example"))!;
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

  it("lets a manager invite only with scopes they hold", async () => {
    const manager = callerAs(store, await addSignedInMember(store, ws(), team.owner, "mgr@team.example", ["members.manage", "hosts.read"]));
    await expect(manager.members.add({ workspaceId: ws(), email: "new@team.example", scopes: ["audit.read"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("audit.read"),
    });
    expect((await team.ownerCaller.members.invites({ workspaceId: ws() })).some((i) => i.email === "new@team.example")).toBe(false);
    await manager.members.add({ workspaceId: ws(), email: "new@team.example", scopes: ["hosts.read"] });
  });

  it("audits invites, joins, scope changes and removals with who did them, never the link", async () => {
    const { link, inviteId } = await team.ownerCaller.members.add({ workspaceId: ws(), email: "gone@team.example", scopes: ["hosts.read"] });
    const gone = await signedInPerson(store, "gone@team.example");
    await callerAs(store, gone).invites.accept({ token: inviteTokenOf(link) });
    const member = (await memberOf("gone@team.example"))!;
    await team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: member.id, scopes: ["hosts.manage"], etag: member.etag });
    await team.ownerCaller.members.remove({ workspaceId: ws(), memberId: member.id });

    const { items } = await team.ownerCaller.audit.list({ workspaceId: ws(), limit: 100 });
    const trail = items.filter((e) => e.target.id === member.id);
    expect(trail.map((e) => e.eventType)).toEqual(["member.removed", "member.updated", "member.added"]);
    expect(trail.map((e) => e.actor.label)).toEqual(["owen@team.example", "owen@team.example", "gone@team.example"]);
    expect(trail[2]?.data).toMatchObject({ scopes: ["hosts.read"], invite: inviteId, invitedBy: "owen@team.example" });
    expect(trail[1]?.data).toMatchObject({ scopesBefore: ["hosts.read"], scopesAfter: ["hosts.read", "hosts.manage"] });
    const invited = items.find((e) => e.eventType === "member.invited" && e.target.id === inviteId);
    expect(invited).toMatchObject({ actor: { label: "owen@team.example" }, data: { scopes: ["hosts.read"] } });
    expect(JSON.stringify(items)).not.toContain(inviteTokenOf(link));
    expect(await memberStore(store).findByUserId(ws(), gone.userId)).toBeUndefined();
  });
});

describe("scope edits by a manager who holds fewer scopes", () => {
  it("may change what they hold and must leave alone what they do not", async () => {
    const lead = callerAs(store, await addSignedInMember(store, ws(), team.owner, "lead@team.example", ["members.manage", "hosts.read", "runs.start"]));
    await addSignedInMember(store, ws(), team.owner, "dev@team.example", ["hosts.read", "audit.read"]);
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
    const remover = callerAs(store, await addSignedInMember(store, ws(), team.owner, "remover@team.example", ["members.manage", "hosts.read"]));
    await addSignedInMember(store, ws(), team.owner, "auditor@team.example", ["hosts.read", "audit.read"]);
    await addSignedInMember(store, ws(), team.owner, "reader@team.example", ["hosts.read"]);
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
    await addSignedInMember(store, ws(), team.owner, "admin2@team.example", ["members.manage", "hosts.manage", "runs.start"]);
    const admin2 = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.email === "admin2@team.example")!;
    const { bearer } = await team.ownerCaller.apiTokens.create({ workspaceId: ws(), name: "narrow", scopes: ["members.manage", "hosts.read"], expiresInDays: 1 });
    const viaToken = callerAs(store, await authenticateApiToken(store, bearer));
    await expect(viaToken.members.remove({ workspaceId: ws(), memberId: admin2.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await memberStore(store).get(ws(), admin2.id)).toBeDefined();
  });
});

/** The same store with its sessions container unreachable, as in a store outage half-way through. */
const sessionsDown = (): Store => withContainerDown(store, CONTAINERS.sessions.id);

describe("a store failure while taking access away", () => {
  it("never removes a member while leaving their sessions alive: the removal is refused whole, and works once the store answers", async () => {
    const person = await addSignedInMember(store, ws(), team.owner, "outage-remove@team.example", ["hosts.read"]);
    const session = await startSession(store, person.userId, "local");
    const member = (await memberOf("outage-remove@team.example"))!;
    await expect(callerAs(sessionsDown(), team.owner).members.remove({ workspaceId: ws(), memberId: member.id })).rejects.toThrow();
    // Nothing was taken away while their session went on: they are still a member.
    expect(await memberOf("outage-remove@team.example")).toMatchObject({ id: member.id });

    await team.ownerCaller.members.remove({ workspaceId: ws(), memberId: member.id });
    expect(await memberOf("outage-remove@team.example")).toBeUndefined();
    expect(await isSessionLive(store, person.userId, session.id)).toBe(false);
  });

  it("never takes a scope away while leaving the person's sessions alive", async () => {
    const person = await addSignedInMember(store, ws(), team.owner, "outage-scopes@team.example", ["hosts.read", "runs.start"]);
    const session = await startSession(store, person.userId, "local");
    const member = (await memberOf("outage-scopes@team.example"))!;
    await expect(
      callerAs(sessionsDown(), team.owner).members.updateScopes({ workspaceId: ws(), memberId: member.id, scopes: ["hosts.read"], etag: member.etag }),
    ).rejects.toThrow();
    expect((await memberOf("outage-scopes@team.example"))?.scopes).toEqual(["hosts.read", "runs.start"]);

    await team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: member.id, scopes: ["hosts.read"], etag: member.etag });
    expect((await memberOf("outage-scopes@team.example"))?.scopes).toEqual(["hosts.read"]);
    expect(await isSessionLive(store, person.userId, session.id)).toBe(false);
  });
});
