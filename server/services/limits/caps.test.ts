import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, newId } from "@/prisma-free-schema";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { testSandbox } from "../../testing/sandbox-fixtures";
import { sandboxStore } from "../../store/sandbox-store";
import { usageStore } from "../../store/usage-store";
import { createTestRun } from "../../testing/runs-fixtures";
import { useSettings } from "../../testing/settings";
import { addSignedInMember, callerAs, inviteTokenOf, signedInPerson, workspaceWithOwner } from "../../testing/test-store";

// Small caps, set the way an operator sets them.
const restore = useSettings({
  MAX_HOSTS_PER_WORKSPACE: "2",
  MAX_PROFILES_PER_WORKSPACE: "3",
  MAX_API_TOKENS_PER_WORKSPACE: "2",
  MAX_MEMBERS_PER_WORKSPACE: "3",
  MAX_WORKSPACES_PER_PERSON: "2",
  MAX_CONCURRENT_RUNS_PER_PERSON: "2",
  MAX_RUNNING_SANDBOXES_PER_WORKSPACE: "2",
});

let platform: PlatformHarness;
beforeAll(async () => {
  // A real channel in this process: runs.start reaches for it (and must refuse before using it).
  platform = await startPlatformHarness();
});
afterAll(async () => {
  await platform.stop();
  restore();
});

const limitReached = (sentence: RegExp) => ({ code: "PRECONDITION_FAILED", message: expect.stringMatching(sentence), cause: expect.objectContaining({ options: expect.objectContaining({ reason: "limit_reached" }) }) });

async function freshWorkspace(label: string) {
  return workspaceWithOwner(platform.store, `${label}-${newId("x").slice(2)}@caps.example`);
}

describe("workspace caps", () => {
  it("refuses a third host with a sentence naming the cap, and takes one again after a delete", async () => {
    const team = await freshWorkspace("hosts");
    const ws = team.workspace.id;
    const register = (name: string) => team.ownerCaller.hosts.register({ workspaceId: ws, name, kind: "docker", runtimeFamilies: ["node"], workloadIdentity: false });
    const first = await register("one");
    await register("two");
    await expect(register("three")).rejects.toMatchObject(limitReached(/This workspace has 2 hosts, the most it may have\. Delete a host/));
    expect((await team.ownerCaller.hosts.list({ workspaceId: ws, limit: 50 })).items).toHaveLength(2);
    await team.ownerCaller.hosts.delete({ workspaceId: ws, hostId: first.id, force: true });
    await expect(register("three")).resolves.toMatchObject({ name: "three" });
  });

  it("lets exactly the cap through when twenty registrations race for it", async () => {
    const team = await freshWorkspace("race");
    const ws = team.workspace.id;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => team.ownerCaller.hosts.register({ workspaceId: ws, name: `racer-${i}`, kind: "docker", runtimeFamilies: ["node"], workloadIdentity: false })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await team.ownerCaller.hosts.list({ workspaceId: ws, limit: 50 })).items).toHaveLength(2);
  });

  it("caps profiles (the Default profile counts)", async () => {
    const team = await freshWorkspace("profiles");
    const ws = team.workspace.id;
    const create = (name: string) =>
      team.ownerCaller.profiles.create({
        workspaceId: ws,
        ...DEFAULT_PROFILE_SETTINGS,
        name,
      });
    await create("second");
    await create("third");
    await expect(create("fourth")).rejects.toMatchObject(limitReached(/3 profiles, the most it may have/));
  });

  it("caps active API tokens; a revoked one frees its place", async () => {
    const team = await freshWorkspace("tokens");
    const ws = team.workspace.id;
    const create = (name: string) => team.ownerCaller.apiTokens.create({ workspaceId: ws, name, scopes: ["hosts.read"], expiresInDays: 30 });
    const first = await create("a");
    await create("b");
    await expect(create("c")).rejects.toMatchObject(limitReached(/2 active API tokens, the most it may have\. Revoke a token/));
    await team.ownerCaller.apiTokens.revoke({ workspaceId: ws, tokenId: first.token.id });
    await expect(create("c")).resolves.toMatchObject({ token: { name: "c" } });
  });

  it("caps members (the owner counts): a full workspace issues no invite, and an older link cannot overfill it", async () => {
    const team = await freshWorkspace("members");
    const ws = team.workspace.id;
    const early = await team.ownerCaller.members.add({ workspaceId: ws, email: "early@caps.example", scopes: [] });
    await addSignedInMember(platform.store, ws, team.owner, "m1@caps.example", []);
    await addSignedInMember(platform.store, ws, team.owner, "m2@caps.example", []);
    await expect(team.ownerCaller.members.add({ workspaceId: ws, email: "m3@caps.example", scopes: [] })).rejects.toMatchObject(limitReached(/3 members, the most it may have/));
    const late = callerAs(platform.store, await signedInPerson(platform.store, "early@caps.example"));
    await expect(late.invites.accept({ token: inviteTokenOf(early.link) })).rejects.toMatchObject(limitReached(/3 members, the most it may have/));
    const emails = (await team.ownerCaller.members.list({ workspaceId: ws })).map((member) => member.email);
    expect(emails).toHaveLength(3);
    expect(emails).toEqual(expect.arrayContaining(["m1@caps.example", "m2@caps.example"]));
  });
});

describe("person caps", () => {
  it("caps the workspaces one person creates", async () => {
    const person = await signedInPerson(platform.store, `maker-${newId("x").slice(2)}@caps.example`);
    const caller = callerAs(platform.store, person);
    await caller.workspaces.create({ name: "first one" });
    await caller.workspaces.create({ name: "second one" });
    await expect(caller.workspaces.create({ name: "third one" })).rejects.toMatchObject(limitReached(/You have created 2 workspaces, the most one person may create/));
  });

  it("caps a person's runs at work at once, across workspaces, before anything is launched", async () => {
    const team = await freshWorkspace("runner");
    const elsewhere = await freshWorkspace("elsewhere");
    const runner = await addSignedInMember(platform.store, team.workspace.id, team.owner, `r-${newId("x").slice(2)}@caps.example`, ["runs.start"]);
    await elsewhere.ownerCaller.members.add({ workspaceId: elsewhere.workspace.id, email: runner.email, scopes: ["runs.start"] });
    await createTestRun(platform.store, team.workspace.id, runner, { status: "running" });
    await createTestRun(platform.store, elsewhere.workspace.id, runner, { status: "starting" });
    // Idle and ended runs do not count.
    await createTestRun(platform.store, team.workspace.id, runner, { status: "idle" });
    await createTestRun(platform.store, team.workspace.id, runner, { status: "ended" });
    const [profile] = (await callerAs(platform.store, runner).profiles.list({ workspaceId: team.workspace.id, limit: 10 })).items;
    const runs = await callerAs(platform.store, runner).runs.list({ workspaceId: team.workspace.id, limit: 50 });
    await expect(callerAs(platform.store, runner).runs.start({ workspaceId: team.workspace.id, profileId: profile!.id, input: "echo hi" })).rejects.toMatchObject(
      limitReached(/You already have 2 runs working, the most one person may have at once/),
    );
    expect((await callerAs(platform.store, runner).runs.list({ workspaceId: team.workspace.id, limit: 50 })).items).toHaveLength(runs.items.length);
  });

  it("refuses a run that needs a new sandbox while the workspace runs as many as it may", async () => {
    const team = await freshWorkspace("sandboxes");
    const ws = team.workspace.id;
    const now = new Date().toISOString();
    for (const status of ["ready", "starting", "failed", "destroyed"] as const) {
      const sandbox = testSandbox(ws, { status, readyAt: null, tokenExpiresAt: now });
      await sandboxStore(platform.store).create(sandbox);
    }
    const [profile] = (await team.ownerCaller.profiles.list({ workspaceId: ws, limit: 10 })).items;
    await expect(team.ownerCaller.runs.start({ workspaceId: ws, profileId: profile!.id, input: "echo hi" })).rejects.toMatchObject(
      limitReached(/This workspace already has 2 sandboxes running, the most it may run at once/),
    );
  });
});

describe("the managed compute allowance", () => {
  it("refuses a managed launch once the month's allowance is spent, with the resolver's typed reason, shown ahead on the profile", async () => {
    const team = await freshWorkspace("allowance");
    const ws = team.workspace.id;
    const [profile] = (await team.ownerCaller.profiles.list({ workspaceId: ws, limit: 10 })).items;
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws, profileId: profile!.id })).toMatchObject({ ok: true, provider: "managed" });

    const today = new Date().toISOString().slice(0, 10);
    const allowance = team.workspace.plan.managedComputeSecondsPerMonth;
    await usageStore(platform.store).add({ workspaceId: ws, day: today, profileId: profile!.id, profileName: profile!.name, sandboxId: newId("sbx"), until: `${today}T23:59:59.000Z` }, allowance - 1);
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws, profileId: profile!.id })).toMatchObject({ ok: true });
    await usageStore(platform.store).add({ workspaceId: ws, day: today, profileId: profile!.id, profileName: profile!.name, sandboxId: newId("sbx"), until: `${today}T23:59:59.000Z` }, 1);

    const resolution = await team.ownerCaller.profiles.resolve({ workspaceId: ws, profileId: profile!.id });
    expect(resolution).toMatchObject({ ok: false, reason: "compute_allowance_spent", message: expect.stringMatching(/used its plan's 500 hours of managed compute for this month/) });
    await expect(team.ownerCaller.runs.start({ workspaceId: ws, profileId: profile!.id, input: "echo hi" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: expect.objectContaining({ options: expect.objectContaining({ reason: "compute_allowance_spent" }) }),
    });
    // A next turn on a managed run is refused the same way, at once.
    const run = await createTestRun(platform.store, ws, team.owner, { status: "idle", profileId: profile!.id, lastTurn: { turn: 1, startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), outcome: "succeeded" } });
    await expect(team.ownerCaller.runs.sendTurn({ workspaceId: ws, runId: run.id, input: "again" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: expect.objectContaining({ options: expect.objectContaining({ reason: "compute_allowance_spent" }) }),
    });
  });

  it("counts only this month: last month's use does not hold back a launch", async () => {
    const team = await freshWorkspace("lastmonth");
    const ws = team.workspace.id;
    const [profile] = (await team.ownerCaller.profiles.list({ workspaceId: ws, limit: 10 })).items;
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
    await usageStore(platform.store).add({ workspaceId: ws, day: lastMonth, profileId: profile!.id, profileName: profile!.name, sandboxId: newId("sbx"), until: `${lastMonth}T23:59:59.000Z` }, team.workspace.plan.managedComputeSecondsPerMonth * 2);
    expect(await team.ownerCaller.profiles.resolve({ workspaceId: ws, profileId: profile!.id })).toMatchObject({ ok: true });
  });
});
