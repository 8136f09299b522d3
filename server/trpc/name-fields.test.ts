import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, NAME_CHARACTERS_MESSAGE } from "@/prisma-free-schema";
import { memberStore } from "../store/member-store";
import { openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../testing/test-store";

/**
 * Every place a person types a name, through the API as the pages call it: a name carrying a
 * control character or a text-direction override is refused with the field's message, and
 * nothing is saved.
 */
let store: TestStore;
let team: TestWorkspace;
const ws = () => team.workspace.id;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "names@team.example");
  await team.ownerCaller.workspaces.setByoChannel({ workspaceId: ws(), enabled: true });
});
afterAll(() => store.destroy());

/** Displays as "invoice-fdp.exe": the override reverses what follows it. */
const SPOOFED = "invoice-\u202Eexe.pdf";
const HOSTILE = [SPOOFED, "ops\u2066 admin\u2069", "line one\nFAKE audit line", "bell\u0007", "\u200Fmark"];

async function fieldErrorsOf(call: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const issues = ((error as TRPCError).cause as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    const out: Record<string, string[]> = {};
    for (const issue of issues) (out[issue.path.join(".")] ??= []).push(issue.message);
    return out;
  }
  throw new Error("the name was accepted");
}

describe("names typed into the platform", () => {
  it("a workspace name", async () => {
    for (const name of HOSTILE) {
      expect((await fieldErrorsOf(team.ownerCaller.workspaces.create({ name })))["name"]).toContain(NAME_CHARACTERS_MESSAGE);
    }
    expect((await team.ownerCaller.workspaces.mine()).map((w) => w.name)).toEqual([team.workspace.name]);
  });

  it("a profile name, on create and on edit", async () => {
    for (const name of HOSTILE) {
      expect((await fieldErrorsOf(team.ownerCaller.profiles.create({ workspaceId: ws(), ...DEFAULT_PROFILE_SETTINGS, name })))["name"]).toContain(NAME_CHARACTERS_MESSAGE);
    }
    const [profile] = (await team.ownerCaller.profiles.list({ workspaceId: ws() })).items;
    for (const name of HOSTILE) {
      const errors = await fieldErrorsOf(team.ownerCaller.profiles.update({ workspaceId: ws(), profileId: profile!.id, etag: profile!.etag, settings: { ...DEFAULT_PROFILE_SETTINGS, name } }));
      expect(errors["settings.name"]).toContain(NAME_CHARACTERS_MESSAGE);
    }
    expect((await team.ownerCaller.profiles.list({ workspaceId: ws() })).items.map((p) => p.name)).toEqual(["Default"]);
  });

  it("an API token name", async () => {
    for (const name of HOSTILE) {
      expect((await fieldErrorsOf(team.ownerCaller.apiTokens.create({ workspaceId: ws(), name, scopes: ["hosts.read"], expiresInDays: 1 })))["name"]).toContain(NAME_CHARACTERS_MESSAGE);
    }
    expect(await team.ownerCaller.apiTokens.list({ workspaceId: ws() })).toEqual([]);
  });

  it("a host name", async () => {
    for (const name of ["edge\u202E1", "edge\u20661\u2069", "edge\n1"]) {
      expect((await fieldErrorsOf(team.ownerCaller.hosts.register({ workspaceId: ws(), name, kind: "docker", runtimeFamilies: ["node"], workloadIdentity: false })))["name"]).toContain(
        NAME_CHARACTERS_MESSAGE,
      );
    }
    expect((await team.ownerCaller.hosts.list({ workspaceId: ws() })).items).toEqual([]);
  });

  it("a member's email (their name comes from their own sign-in, which uses the person-name rule)", async () => {
    for (const email of ["eve\u202E@team.example", "eve\n@team.example", "ev\u2066e@team.example"]) {
      const errors = await fieldErrorsOf(team.ownerCaller.members.add({ workspaceId: ws(), email, scopes: ["hosts.read"] }));
      expect(errors["email"]?.length).toBeGreaterThan(0);
    }
    expect((await memberStore(store).listForWorkspace(ws())).map((m) => m.email)).toEqual(["names@team.example"]);
  });
});
