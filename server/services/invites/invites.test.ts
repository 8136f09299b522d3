import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteStore } from "../../store/invite-store";
import { userStore } from "../../store/user-store";
import { addSignedInMember, callerAs, inviteTokenOf, openTestStore, signedInPerson, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { signInWithPassword } from "../users/sign-in-with-password";
import { hashInviteToken } from "./invite-token";
import { issuePlatformInvite } from "./issue-invite";

let store: TestStore;
let team: TestWorkspace;
beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "iris@invites.example");
});
afterAll(() => store.destroy());

const ws = () => team.workspace.id;
const anonymous = () => callerAs(store, undefined);
const invite = async (scopes: ("hosts.read" | "runs.start" | "audit.read")[] = ["hosts.read"], email = "someone@invites.example") =>
  inviteTokenOf((await team.ownerCaller.members.add({ workspaceId: ws(), email, scopes })).link);

describe("invite links", () => {
  it("keep only a digest of the token in the store", async () => {
    const token = await invite();
    const stored = await inviteStore(store).get(hashInviteToken(token));
    expect(stored).toMatchObject({ workspaceId: ws(), usedAt: null });
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("say where they lead before anyone accepts", async () => {
    const token = await invite(["hosts.read", "runs.start"]);
    expect(await anonymous().invites.describe({ token })).toMatchObject({ workspaceName: team.workspace.name, scopes: ["hosts.read", "runs.start"] });
  });

  it("create an account with a password and a membership, and work once", async () => {
    const token = await invite(["runs.start"]);
    await anonymous().invites.acceptWithNewAccount({ token, name: "Nia", email: "nia@invites.example", password: "nia's own password" });
    const signedIn = await signInWithPassword({ store, email: "nia@invites.example", password: "nia's own password", address: undefined });
    expect(signedIn.ok).toBe(true);
    const nia = (signedIn as { ok: true; user: { id: string; email: string; name: string } }).user;
    expect(await callerAs(store, { kind: "user", userId: nia.id, email: nia.email, name: nia.name }).workspaces.mine()).toEqual([
      expect.objectContaining({ id: ws(), scopes: ["runs.start"] }),
    ]);

    const again = { token, name: "Mal", email: "mal@invites.example", password: "mal's own password" };
    await expect(anonymous().invites.acceptWithNewAccount(again)).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("already used") });
    await expect(anonymous().invites.describe({ token })).rejects.toMatchObject({ message: expect.stringContaining("already used") });
    expect(await userStore(store).any()).toBe(true);
    const mal = await signedInPerson(store, "mal@invites.example");
    await expect(callerAs(store, mal).invites.accept({ token })).rejects.toMatchObject({ message: expect.stringContaining("already used") });
    expect(await callerAs(store, mal).workspaces.mine()).toEqual([]);
  });

  it("work once when two people accept at the same moment", async () => {
    const token = await invite();
    const [a, b] = [await signedInPerson(store, "racer-a@invites.example"), await signedInPerson(store, "racer-b@invites.example")];
    const results = await Promise.allSettled([callerAs(store, a).invites.accept({ token }), callerAs(store, b).invites.accept({ token })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: expect.stringContaining("already used") } });
    const joined = (await team.ownerCaller.members.list({ workspaceId: ws() })).filter((m) => m.email.startsWith("racer-"));
    expect(joined).toHaveLength(1);
  });

  it("expire, and say so", async () => {
    const token = await invite();
    const stored = (await inviteStore(store).get(hashInviteToken(token)))!;
    const { etag, ...doc } = stored;
    await inviteStore(store).replace({ ...doc, expiresAt: new Date(Date.now() - 60_000).toISOString() }, etag);
    const late = await signedInPerson(store, "late@invites.example");
    await expect(callerAs(store, late).invites.accept({ token })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/^This invite link expired on .+ UTC\./) });
    expect(await callerAs(store, late).workspaces.mine()).toEqual([]);
  });

  it("can be withdrawn by an admin, and then say so", async () => {
    const { link, inviteId } = await team.ownerCaller.members.add({ workspaceId: ws(), email: "nope@invites.example", scopes: ["hosts.read"] });
    expect((await team.ownerCaller.members.invites({ workspaceId: ws() })).map((i) => i.inviteId)).toContain(inviteId);
    await team.ownerCaller.members.revokeInvite({ workspaceId: ws(), inviteId });
    expect((await team.ownerCaller.members.invites({ workspaceId: ws() })).map((i) => i.inviteId)).not.toContain(inviteId);
    await expect(anonymous().invites.describe({ token: inviteTokenOf(link) })).rejects.toMatchObject({ message: expect.stringContaining("withdrawn") });
  });

  it("stop granting once their issuer is removed or loses the scopes they grant", async () => {
    const manager = await addSignedInMember(store, ws(), team.owner, "mgr@invites.example", ["members.manage", "hosts.read", "runs.start"]);
    const asManager = callerAs(store, manager);
    const before = inviteTokenOf((await asManager.members.add({ workspaceId: ws(), email: "crony@invites.example", scopes: ["runs.start"] })).link);
    const other = inviteTokenOf((await asManager.members.add({ workspaceId: ws(), email: "crony2@invites.example", scopes: ["hosts.read"] })).link);

    // The manager loses runs.start: the invite granting it stops working, the other still works.
    let member = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.userId === manager.userId)!;
    member = await team.ownerCaller.members.updateScopes({ workspaceId: ws(), memberId: member.id, scopes: ["members.manage", "hosts.read"], etag: member.etag });
    const crony = await signedInPerson(store, "crony@invites.example");
    await expect(callerAs(store, crony).invites.accept({ token: before })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("can no longer grant it") });
    expect(await callerAs(store, crony).workspaces.mine()).toEqual([]);

    // The manager is removed: nothing they issued lets anyone in.
    await team.ownerCaller.members.remove({ workspaceId: ws(), memberId: member.id });
    const crony2 = await signedInPerson(store, "crony2@invites.example");
    await expect(callerAs(store, crony2).invites.accept({ token: other })).rejects.toMatchObject({ message: expect.stringContaining("can no longer grant it") });
    expect(await callerAs(store, crony2).workspaces.mine()).toEqual([]);
  });

  it("refuse a made-up or mangled token clearly, changing nothing", async () => {
    await expect(anonymous().invites.describe({ token: `dpi_${"A".repeat(43)}` })).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("not valid") });
    await expect(anonymous().invites.describe({ token: "dpi_short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(anonymous().invites.acceptWithNewAccount({ token: `dpi_${"B".repeat(43)}`, name: "X", email: "x@invites.example", password: "long enough password" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await userStore(store).get("usr_aaaaaaaaaaaaaaaaaaaa")).toBeUndefined();
  });

  it("cannot be used to take over an existing account by its email", async () => {
    const token = await invite();
    await expect(
      anonymous().invites.acceptWithNewAccount({ token, name: "Evil", email: "iris@invites.example", password: "attacker's password" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already exists") });
    // The link is still good for the person it was meant for.
    expect(await anonymous().invites.describe({ token })).toMatchObject({ workspaceName: team.workspace.name });
  });

  it("from the platform operator, let a passwordless account from before passwords set one, and nobody else", async () => {
    await signedInPerson(store, "legacy@invites.example", "Legacy");
    const bound = await issuePlatformInvite({ store, email: "legacy@invites.example", baseUrl: undefined });
    await expect(
      anonymous().invites.acceptWithNewAccount({ token: inviteTokenOf(bound.link), name: "Other", email: "other@invites.example", password: "some long password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This link is for legacy@invites.example." });
    await anonymous().invites.acceptWithNewAccount({ token: inviteTokenOf(bound.link), name: "Legacy", email: "legacy@invites.example", password: "legacy's new password" });
    expect(await signInWithPassword({ store, email: "legacy@invites.example", password: "legacy's new password", address: undefined })).toMatchObject({ ok: true });

    // A workspace invite never does that: whoever holds it cannot set a password on someone's account.
    await signedInPerson(store, "legacy2@invites.example", "Legacy Two");
    await expect(
      anonymous().invites.acceptWithNewAccount({ token: await invite(), name: "Evil", email: "legacy2@invites.example", password: "attacker's password" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("withdrawing an invite", () => {
  it("follows the scope rule: a manager cannot withdraw an invite granting scopes they do not hold", async () => {
    const manager = await addSignedInMember(store, ws(), team.owner, "withdrawer@invites.example", ["members.manage", "hosts.read"]);
    const { link, inviteId } = await team.ownerCaller.members.add({ workspaceId: ws(), email: "runner@invites.example", scopes: ["runs.start"] });
    await expect(callerAs(store, manager).members.revokeInvite({ workspaceId: ws(), inviteId })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "You cannot withdraw an invite granting scopes you do not hold: runs.start.",
    });
    // The link still works for the person it was meant for.
    expect(await anonymous().invites.describe({ token: inviteTokenOf(link) })).toMatchObject({ scopes: ["runs.start"] });
    // One within the manager's own scopes they can withdraw.
    const own = await callerAs(store, manager).members.add({ workspaceId: ws(), email: "reader@invites.example", scopes: ["hosts.read"] });
    await callerAs(store, manager).members.revokeInvite({ workspaceId: ws(), inviteId: own.inviteId });
    await expect(anonymous().invites.describe({ token: inviteTokenOf(own.link) })).rejects.toMatchObject({ message: expect.stringContaining("withdrawn") });
  });
});
