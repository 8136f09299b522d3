import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAuthOptions } from "../../auth/next-auth-options";
import { useSettings, useStoreAsProcessStore } from "../../testing/settings";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { createLocalAccount } from "../users/create-local-account";

useSettings({ AUTH_SECRET: "sessions-test-secret-0123456789abcdefghij" });

let store: TestStore;
let team: TestWorkspace;
beforeAll(async () => {
  store = await openTestStore();
  useStoreAsProcessStore(store);
  team = await workspaceWithOwner(store, "sam@sessions.example");
});
afterAll(() => store.destroy());

/**
 * The cookie's content, as next-auth makes it at sign-in and checks it on every request: these
 * are the real callbacks the /api/auth route and getServerSession run.
 */
async function signInCookie(userId: string, email: string): Promise<JWT> {
  const callbacks = getAuthOptions().callbacks!;
  return callbacks.jwt!({ token: {}, user: { id: userId, email, name: email }, account: { provider: "local", type: "credentials", providerAccountId: userId } } as never) as Promise<JWT>;
}
async function stillSignedIn(cookie: JWT): Promise<boolean> {
  try {
    await getAuthOptions().callbacks!.jwt!({ token: { ...cookie } } as never);
    return true;
  } catch (error) {
    expect((error as Error).name).toBe("SessionEnded");
    return false;
  }
}

describe("sessions that end", () => {
  it("a cookie names a session in the store and works while it lives", async () => {
    const cookie = await signInCookie(team.owner.userId, team.owner.email);
    expect(cookie).toMatchObject({ sub: team.owner.userId, sid: expect.stringMatching(/^ses_/) });
    expect(await stillSignedIn(cookie)).toBe(true);
    // A forged cookie naming a session that was never started is refused.
    expect(await stillSignedIn({ ...cookie, sid: "ses_aaaaaaaaaaaaaaaaaaaa" })).toBe(false);
    // A real session id under another person's id is refused too.
    expect(await stillSignedIn({ ...cookie, sub: "usr_aaaaaaaaaaaaaaaaaaaa" })).toBe(false);
  });

  it("signing out ends that session: a copy of the cookie made before is refused after", async () => {
    const cookie = await signInCookie(team.owner.userId, team.owner.email);
    const other = await signInCookie(team.owner.userId, team.owner.email);
    const copied = { ...cookie };
    await getAuthOptions().events!.signOut!({ token: cookie, session: undefined as never });
    expect(await stillSignedIn(copied)).toBe(false);
    // Another browser of the same person stays signed in.
    expect(await stillSignedIn(other)).toBe(true);
  });

  it("changing the password ends every session of the account, the changing one too", async () => {
    const user = await createLocalAccount({ store, name: "Pat", email: "pat@sessions.example", password: "pat's first password" });
    const laptop = await signInCookie(user.id, user.email);
    const phone = await signInCookie(user.id, user.email);
    const bystander = await signInCookie(team.owner.userId, team.owner.email);
    const pat = callerAs(store, { kind: "user", userId: user.id, email: user.email, name: user.name });

    await expect(pat.account.changePassword({ currentPassword: "not it at all!!", newPassword: "pat's second password" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "That is not your current password.",
    });
    expect(await stillSignedIn(laptop)).toBe(true);

    await pat.account.changePassword({ currentPassword: "pat's first password", newPassword: "pat's second password" });
    expect(await stillSignedIn(laptop)).toBe(false);
    expect(await stillSignedIn(phone)).toBe(false);
    expect(await stillSignedIn(bystander)).toBe(true);
  });

  it("removing a member ends their sessions", async () => {
    const mo = await addSignedInMember(store, team.workspace.id, team.owner, "mo@sessions.example", ["hosts.read"]);
    const cookie = await signInCookie(mo.userId, mo.email);
    const member = (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.userId === mo.userId)!;
    await team.ownerCaller.members.remove({ workspaceId: team.workspace.id, memberId: member.id });
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it("taking a scope away ends the member's sessions; granting one does not", async () => {
    const lu = await addSignedInMember(store, team.workspace.id, team.owner, "lu@sessions.example", ["hosts.read"]);
    const cookie = await signInCookie(lu.userId, lu.email);
    let member = (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.userId === lu.userId)!;
    member = await team.ownerCaller.members.updateScopes({ workspaceId: team.workspace.id, memberId: member.id, scopes: ["hosts.read", "runs.start"], etag: member.etag });
    expect(await stillSignedIn(cookie)).toBe(true);
    await team.ownerCaller.members.updateScopes({ workspaceId: team.workspace.id, memberId: member.id, scopes: ["runs.start"], etag: member.etag });
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it("a session ended in one process is ended for every process on the same store", async () => {
    const cookie = await signInCookie(team.owner.userId, team.owner.email);
    const dataDir = store.dataDir;
    await getAuthOptions().events!.signOut!({ token: cookie, session: undefined as never });
    await store.close();
    store = await openTestStore(dataDir);
    useStoreAsProcessStore(store);
    expect(await stillSignedIn(cookie)).toBe(false);
  });
});
