import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokenStore } from "../../store/api-token-store";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { authenticateApiToken } from "./authenticate-api-token";

let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "olga@team.example");
  other = await workspaceWithOwner(store, "otto@other.example");
});
afterAll(() => store.destroy());

async function mint(scopes: ("hosts.read" | "audit.read" | "members.manage")[] = ["hosts.read"], caller = team.ownerCaller) {
  return caller.apiTokens.create({ workspaceId: team.workspace.id, name: `tool ${Math.random()}`, scopes, expiresInDays: 30 });
}

describe("API tokens", () => {
  it("returns the bearer once and stores only a hash of it", async () => {
    const { token, bearer } = await mint();
    expect(bearer).toMatch(/^dpt_tok_[a-z0-9]{20}_[A-Za-z0-9_-]{43}$/);
    const stored = await apiTokenStore(store).get(token.id);
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(bearer.slice(-43));
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await team.ownerCaller.apiTokens.list({ workspaceId: team.workspace.id });
    expect(JSON.stringify(listed)).not.toContain(bearer.slice(-43));
  });

  it("acts as its member, limited to the token's scopes, in its workspace only", async () => {
    const { bearer } = await mint(["hosts.read"]);
    const actor = await authenticateApiToken(store, bearer);
    expect(actor).toMatchObject({ kind: "api_token", email: "olga@team.example", workspaceId: team.workspace.id });
    const caller = callerAs(store, actor);
    const view = await caller.workspaces.get({ workspaceId: team.workspace.id });
    expect(view.scopes).toEqual(["hosts.read"]);
    await expect(caller.audit.list({ workspaceId: team.workspace.id, limit: 5 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.workspaces.get({ workspaceId: other.workspace.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.apiTokens.create({ workspaceId: team.workspace.id, name: "chained", scopes: ["hosts.read"], expiresInDays: 1 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("stops working the moment it is revoked, and the trail shows both events", async () => {
    const { token, bearer } = await mint();
    expect(await authenticateApiToken(store, bearer)).toBeDefined();
    const revoked = await team.ownerCaller.apiTokens.revoke({ workspaceId: team.workspace.id, tokenId: token.id });
    expect(revoked.status).toBe("revoked");
    expect(await authenticateApiToken(store, bearer)).toBeUndefined();

    const { items } = await team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 50 });
    const types = items.filter((e) => e.target.id === token.id).map((e) => e.eventType);
    expect(types).toEqual(["api_token.revoked", "api_token.created"]);
    expect(JSON.stringify(items)).not.toContain(bearer.slice(-43));
  });

  it("refuses a wrong secret, an expired token and a made-up one alike", async () => {
    const { token, bearer } = await mint();
    const wrongSecret = `${bearer.slice(0, -4)}AAAA`;
    expect(await authenticateApiToken(store, wrongSecret)).toBeUndefined();
    expect(await authenticateApiToken(store, "dpt_tok_aaaaaaaaaaaaaaaaaaaa_" + "A".repeat(43))).toBeUndefined();
    expect(await authenticateApiToken(store, "not-a-token")).toBeUndefined();

    const tokens = apiTokenStore(store);
    const { etag, ...doc } = (await tokens.get(token.id))!;
    await tokens.replace({ ...doc, expiresAt: new Date(Date.now() - 1000).toISOString() }, etag);
    expect(await authenticateApiToken(store, bearer)).toBeUndefined();
  });

  it("narrows to the member's current scopes and dies with the membership", async () => {
    const mia = await addSignedInMember(store, team.workspace.id, team.owner, "mia@team.example", ["hosts.read", "audit.read"]);
    const miaCaller = callerAs(store, mia);
    const { bearer } = await miaCaller.apiTokens.create({ workspaceId: team.workspace.id, name: "mia tool", scopes: ["hosts.read", "audit.read"], expiresInDays: 7 });

    const member = (await team.ownerCaller.members.list({ workspaceId: team.workspace.id })).find((m) => m.email === "mia@team.example")!;
    await team.ownerCaller.members.updateScopes({ workspaceId: team.workspace.id, memberId: member.id, scopes: ["hosts.read"], etag: member.etag });
    const narrowed = callerAs(store, await authenticateApiToken(store, bearer));
    expect((await narrowed.workspaces.get({ workspaceId: team.workspace.id })).scopes).toEqual(["hosts.read"]);

    await team.ownerCaller.members.remove({ workspaceId: team.workspace.id, memberId: member.id });
    expect(await authenticateApiToken(store, bearer)).toBeUndefined();
  });

  it("records when it was last used", async () => {
    const { token, bearer } = await mint();
    expect((await apiTokenStore(store).get(token.id))?.lastUsedAt).toBeNull();
    await authenticateApiToken(store, bearer);
    await expect.poll(async () => (await apiTokenStore(store).get(token.id))?.lastUsedAt).not.toBeNull();
  });
});
