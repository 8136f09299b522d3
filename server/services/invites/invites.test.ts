import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteStore } from "../../store/invite-store";
import { userStore } from "../../store/user-store";
import { addSignedInMember, callerAs, inviteTokenOf, openTestStore, signedInPerson, workspaceWithOwner, type TestStore, type TestWorkspace, withContainerDown } from "../../testing/test-store";
import { CONTAINERS } from "@/prisma-free-schema";
import type { Store } from "../../store/store";
import { userIdFor } from "../../store/user-store";
import { signInIdentity } from "../users/sign-in-user";
import { signInWithPassword } from "../users/sign-in-with-password";
import { useSettings } from "../../testing/settings";
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
    const token = await invite(["runs.start"], "nia@invites.example");
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
    expect(await userStore(store).anyone()).toBeDefined();
    const mal = await signedInPerson(store, "mal@invites.example");
    await expect(callerAs(store, mal).invites.accept({ token })).rejects.toMatchObject({ message: expect.stringContaining("already used") });
    expect(await callerAs(store, mal).workspaces.mine()).toEqual([]);
  });

  it("work once when accepted twice at the same moment", async () => {
    const token = await invite(["hosts.read"], "racer-a@invites.example");
    const racer = await signedInPerson(store, "racer-a@invites.example");
    const results = await Promise.allSettled([callerAs(store, racer).invites.accept({ token }), callerAs(store, racer).invites.accept({ token })]);
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
    const token = await invite(["hosts.read"], "iris@invites.example");
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
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: "This link was made for legacy@invites.example; create the account with that address or ask for a link for yours." });
    await anonymous().invites.acceptWithNewAccount({ token: inviteTokenOf(bound.link), name: "Legacy", email: "legacy@invites.example", password: "legacy's new password" });
    expect(await signInWithPassword({ store, email: "legacy@invites.example", password: "legacy's new password", address: undefined })).toMatchObject({ ok: true });

    // A workspace invite never does that: whoever holds it cannot set a password on someone's account.
    await signedInPerson(store, "legacy2@invites.example", "Legacy Two");
    await expect(
      anonymous().invites.acceptWithNewAccount({ token: await invite(["hosts.read"], "legacy2@invites.example"), name: "Evil", email: "legacy2@invites.example", password: "attacker's password" }),
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

describe("an invite made for an email", () => {
  it("works only for that email: a new account under another address is refused and the link stays unused", async () => {
    const token = await invite(["hosts.read"], "ceo@corp.example");
    await expect(anonymous().invites.acceptWithNewAccount({ token, name: "Mallory", email: "mallory@corp.example", password: "mallory's password" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This link was made for ceo@corp.example; create the account with that address or ask for a link for yours.",
    });
    expect(await userStore(store).get(userIdFor({ provider: "local", email: "mallory@corp.example" }))).toBeUndefined();
    expect(await anonymous().invites.describe({ token })).toMatchObject({ email: "ceo@corp.example" });
    await anonymous().invites.acceptWithNewAccount({ token, name: "Ceo", email: "ceo@corp.example", password: "the ceo's password" });
  });

  it("works only for the signed-in person with that email (in any case), and stays unused for anyone else", async () => {
    const token = await invite(["hosts.read"], "rightful@invites.example");
    const other = await signedInPerson(store, "holder@invites.example");
    await expect(callerAs(store, other).invites.accept({ token })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This link was made for rightful@invites.example; sign in with that address or ask for a link for yours.",
    });
    expect(await callerAs(store, other).workspaces.mine()).toEqual([]);
    const rightful = await signedInPerson(store, "rightful@invites.example");
    await callerAs(store, { ...rightful, email: "Rightful@Invites.Example" }).invites.accept({ token });
    expect(await callerAs(store, rightful).workspaces.mine()).toEqual([expect.objectContaining({ id: ws() })]);
  });
});

describe("a link that cannot be joined", () => {
  const noAccount = async (email: string) => expect(await userStore(store).get(userIdFor({ provider: "local", email }))).toBeUndefined();

  it("creates no account when its issuer can no longer grant it, and stays as it was", async () => {
    const manager = await addSignedInMember(store, ws(), team.owner, "leaver@invites.example", ["members.manage", "hosts.read"]);
    const token = inviteTokenOf((await callerAs(store, manager).members.add({ workspaceId: ws(), email: "dead@invites.example", scopes: ["hosts.read"] })).link);
    const member = (await team.ownerCaller.members.list({ workspaceId: ws() })).find((m) => m.userId === manager.userId)!;
    await team.ownerCaller.members.remove({ workspaceId: ws(), memberId: member.id });
    for (let i = 0; i < 2; i += 1) {
      await expect(anonymous().invites.acceptWithNewAccount({ token, name: "Dead", email: "dead@invites.example", password: "a long password" })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: expect.stringContaining("can no longer grant it"),
      });
    }
    await noAccount("dead@invites.example");
    expect(await signInWithPassword({ store, email: "dead@invites.example", password: "a long password", address: undefined })).toMatchObject({ ok: false });
  });

  it("creates no account when the workspace is full", async () => {
    const token = await invite(["hosts.read"], "full@invites.example");
    const members = (await team.ownerCaller.members.list({ workspaceId: ws() })).length;
    const undo = useSettings({ MAX_MEMBERS_PER_WORKSPACE: String(members) });
    try {
      await expect(anonymous().invites.acceptWithNewAccount({ token, name: "Full", email: "full@invites.example", password: "a long password" })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: expect.stringContaining("the most it may have"),
      });
    } finally {
      undo();
    }
    await noAccount("full@invites.example");
    expect(await anonymous().invites.describe({ token })).toMatchObject({ email: "full@invites.example" });
  });

  it("creates no account when someone with that email is already a member (signed in another way)", async () => {
    const entra = await signInIdentity({ store, identity: { provider: "entra", tenantId: "t1", objectId: "o-twin" }, email: "twin@invites.example", name: "Twin" });
    const token = await invite(["hosts.read"], "twin@invites.example");
    await callerAs(store, { kind: "user", userId: entra.id, email: entra.email, name: entra.name }).invites.accept({ token });
    const second = await invite(["hosts.read"], "twin@invites.example");
    await expect(anonymous().invites.acceptWithNewAccount({ token: second, name: "Twin", email: "twin@invites.example", password: "a long password" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already a member"),
    });
    await noAccount("twin@invites.example");
  });

  it("takes back the account it made when joining fails after it (here: the audit log unreachable), and stays unused", async () => {
    const token = await invite(["hosts.read"], "unlucky@invites.example");
    const auditDown = withContainerDown(store, CONTAINERS.auditEvents.id);
    await expect(callerAs(auditDown, undefined).invites.acceptWithNewAccount({ token, name: "Unlucky", email: "unlucky@invites.example", password: "a long password" })).rejects.toThrow();
    await noAccount("unlucky@invites.example");
    await anonymous().invites.acceptWithNewAccount({ token, name: "Unlucky", email: "unlucky@invites.example", password: "a long password" });
    expect(await signInWithPassword({ store, email: "unlucky@invites.example", password: "a long password", address: undefined })).toMatchObject({ ok: true });
  });
});
