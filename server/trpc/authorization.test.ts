import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSignedInMember, callerAs, openTestStore, signedInPerson, workspaceWithOwner, type TestStore, type TestWorkspace } from "../testing/test-store";

let store: TestStore;
let a: TestWorkspace;
let b: TestWorkspace;
let bTokenId: string;

beforeAll(async () => {
  store = await openTestStore();
  a = await workspaceWithOwner(store, "ada@a.example");
  b = await workspaceWithOwner(store, "bob@b.example");
  const created = await b.ownerCaller.apiTokens.create({ workspaceId: b.workspace.id, name: "b tool", scopes: ["hosts.read"], expiresInDays: 30 });
  bTokenId = created.token.id;
});
afterAll(() => store.destroy());

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

describe("authorization", () => {
  it("answers NOT_FOUND, not FORBIDDEN, for every read of another workspace", async () => {
    const ws = b.workspace.id;
    expect(await codeOf(a.ownerCaller.workspaces.get({ workspaceId: ws }))).toBe("NOT_FOUND");
    expect(await codeOf(a.ownerCaller.members.list({ workspaceId: ws }))).toBe("NOT_FOUND");
    expect(await codeOf(a.ownerCaller.apiTokens.list({ workspaceId: ws }))).toBe("NOT_FOUND");
    expect(await codeOf(a.ownerCaller.audit.list({ workspaceId: ws, limit: 10 }))).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for writes into another workspace and changes nothing there", async () => {
    const ws = b.workspace.id;
    expect(await codeOf(a.ownerCaller.members.add({ workspaceId: ws, email: "mallory@a.example", scopes: ["hosts.read"] }))).toBe("NOT_FOUND");
    expect(await codeOf(a.ownerCaller.apiTokens.revoke({ workspaceId: ws, tokenId: bTokenId }))).toBe("NOT_FOUND");
    // Naming one's own workspace does not reach another's token either.
    expect(await codeOf(a.ownerCaller.apiTokens.revoke({ workspaceId: a.workspace.id, tokenId: bTokenId }))).toBe("NOT_FOUND");

    const members = await b.ownerCaller.members.list({ workspaceId: ws });
    expect(members.map((m) => m.email)).toEqual(["bob@b.example"]);
    const tokens = await b.ownerCaller.apiTokens.list({ workspaceId: ws });
    expect(tokens.find((t) => t.id === bTokenId)?.status).toBe("active");
  });

  it("lists only the caller's own workspaces", async () => {
    const mine = await a.ownerCaller.workspaces.mine();
    expect(mine.map((w) => w.id)).toEqual([a.workspace.id]);
  });

  it("gives a member only what their scopes allow, with FORBIDDEN naming the scope", async () => {
    const reader = await addSignedInMember(store, a.workspace.id, a.owner, "rita@a.example", ["hosts.read"]);
    const caller = callerAs(store, reader);
    const ws = a.workspace.id;
    await expect(caller.members.list({ workspaceId: ws })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("members.manage") });
    expect(await codeOf(caller.audit.list({ workspaceId: ws, limit: 10 }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.members.add({ workspaceId: ws, email: "x@a.example", scopes: ["hosts.read"] }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.apiTokens.create({ workspaceId: ws, name: "too much", scopes: ["audit.read"], expiresInDays: 7 }))).toBe("FORBIDDEN");
    const view = await caller.workspaces.get({ workspaceId: ws });
    expect(view.scopes).toEqual(["hosts.read"]);
    expect(await caller.hosts.list({ workspaceId: ws, limit: 10 })).toEqual({ items: [] });

    const auditor = callerAs(store, await addSignedInMember(store, ws, a.owner, "aldo@a.example", ["audit.read"]));
    await expect(auditor.hosts.list({ workspaceId: ws, limit: 10 })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("hosts.read") });
  });

  it("refuses anonymous callers with UNAUTHORIZED", async () => {
    const anonymous = callerAs(store, undefined);
    expect(await codeOf(anonymous.workspaces.mine())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.members.list({ workspaceId: a.workspace.id }))).toBe("UNAUTHORIZED");
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const ws = a.workspace.id;
    const before = await a.ownerCaller.members.list({ workspaceId: ws });
    const error = await a.ownerCaller.members.add({ workspaceId: ws, email: "not an email", scopes: ["hosts.read", "fly.planes" as never] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(await a.ownerCaller.members.list({ workspaceId: ws })).toHaveLength(before.length);
  });

  it("lets nobody create a workspace through a token, and anyone signed in create their own", async () => {
    const newcomer = await signedInPerson(store, "nina@c.example");
    const { id } = await callerAs(store, newcomer).workspaces.create({ name: "Nina's team" });
    const view = await callerAs(store, newcomer).workspaces.get({ workspaceId: id });
    expect(view).toMatchObject({ role: "owner", name: "Nina's team" });
    expect(view.scopes).toContain("members.manage");
  });
});
