import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS } from "@/prisma-free-schema";
import { getAuthOptions } from "../../auth/next-auth-options";
import { userIdFor, userStore } from "../../store/user-store";
import { useSettings, useStoreAsProcessStore } from "../../testing/settings";
import { callerAs, openTestStore, workspaceWithOwner, type TestStore } from "../../testing/test-store";
import { createFirstAccount, firstAccountOpen } from "./create-first-account";
import { signInIdentity } from "./sign-in-user";

useSettings({ AUTH_SECRET: "identity-test-secret-0123456789abcdefghijk" });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  useStoreAsProcessStore(store);
});
afterAll(() => store.destroy());

describe("identity is provider and subject, never email alone", () => {
  it("an Entra account with a local account's email is another person, with none of its workspaces", async () => {
    const local = await workspaceWithOwner(store, "dana@same.example");
    const entra = await signInIdentity({ store, identity: { provider: "entra", tenantId: "tenant-1", objectId: "oid-1" }, email: "dana@same.example", name: "Dana" });
    expect(entra.id).not.toBe(local.owner.userId);
    const asEntra = callerAs(store, { kind: "user", userId: entra.id, email: entra.email, name: entra.name });
    expect(await asEntra.workspaces.mine()).toEqual([]);
    await expect(asEntra.workspaces.get({ workspaceId: local.workspace.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The local account is untouched: still local, still its own.
    expect((await userStore(store).get(local.owner.userId))?.identity).toEqual({ provider: "local", email: "dana@same.example" });
  });

  it("an Entra name with a text-direction override signs in, shown without the override", async () => {
    const person = await signInIdentity({ store, identity: { provider: "entra", tenantId: "tenant-9", objectId: "oid-rlo" }, email: "rlo@entra.example", name: "Mallory\u202Egnp.exe" });
    expect(person.name).toBe("Mallorygnp.exe");
  });

  it("the same email in another tenant, or another object id, is another person again", () => {
    const a = userIdFor({ provider: "entra", tenantId: "t1", objectId: "o1" });
    expect(userIdFor({ provider: "entra", tenantId: "t2", objectId: "o1" })).not.toBe(a);
    expect(userIdFor({ provider: "entra", tenantId: "t1", objectId: "o2" })).not.toBe(a);
    expect(userIdFor({ provider: "entra", tenantId: "t1", objectId: "o1" })).toBe(a);
  });

  it("Entra sign-in goes by the token's tenant and object id: a changed email is the same person", async () => {
    const callbacks = getAuthOptions().callbacks!;
    const user = { id: "from-provider", email: "first@tenant.example", name: "Flo" };
    const profile = { oid: "oid-flo", tid: "tenant-9", sub: "sub-flo" };
    expect(await callbacks.signIn!({ user, account: { provider: "azure-ad" }, profile } as never)).toBe(true);
    const firstId = user.id;
    const renamed = { id: "from-provider", email: "renamed@tenant.example", name: "Flo" };
    await callbacks.signIn!({ user: renamed, account: { provider: "azure-ad" }, profile } as never);
    expect(renamed.id).toBe(firstId);
    expect((await userStore(store).get(firstId))?.identity).toEqual({ provider: "entra", tenantId: "tenant-9", objectId: "oid-flo" });
    // No tenant or subject in the token: refused, never guessed from the email.
    expect(await callbacks.signIn!({ user: { id: "x", email: "first@tenant.example", name: "Flo" }, account: { provider: "azure-ad" }, profile: {} } as never)).toBe(false);
  });

  it("user documents from before identities still load: local ones as their local account, Entra ones as legacy", async () => {
    const container = await store.container(CONTAINERS.users);
    const now = new Date().toISOString();
    const localId = userIdFor({ provider: "local", email: "old-local@legacy.example" });
    const entraId = userIdFor({ provider: "local", email: "old-entra@legacy.example" });
    await container.items.create({ id: localId, type: "user", email: "old-local@legacy.example", name: "Old", lastProvider: "local", createdAt: now, lastSignInAt: now });
    await container.items.create({ id: entraId, type: "user", email: "old-entra@legacy.example", name: "Old", lastProvider: "entra", createdAt: now, lastSignInAt: now });
    expect(await userStore(store).get(localId)).toMatchObject({ identity: { provider: "local", email: "old-local@legacy.example" }, password: null });
    expect(await userStore(store).get(entraId)).toMatchObject({ identity: { provider: "legacy-entra" } });
    // An old email-keyed Entra record is not a local account anyone can sign in to.
    await expect(signInIdentity({ store, identity: { provider: "local", email: "old-entra@legacy.example" }, email: "old-entra@legacy.example", name: "X" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("the first account on a fresh install", () => {
  it("is made by exactly one of two people racing for it", async () => {
    const fresh = await openTestStore();
    try {
      expect(await firstAccountOpen(fresh)).toBe(true);
      const results = await Promise.allSettled([
        createFirstAccount({ store: fresh, name: "One", email: "one@fresh.example", password: "first person's password" }),
        createFirstAccount({ store: fresh, name: "Two", email: "two@fresh.example", password: "second person's password" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT", message: expect.stringContaining("already has its first account") } });
      expect(await firstAccountOpen(fresh)).toBe(false);
      await expect(createFirstAccount({ store: fresh, name: "Three", email: "three@fresh.example", password: "third person's password" })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      await fresh.destroy();
    }
  });

  it("is not on offer on an install that already has people", async () => {
    expect(await firstAccountOpen(store)).toBe(false);
    await expect(callerAs(store, undefined).account.createFirst({ name: "Late", email: "late@x.example", password: "late person's password" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
