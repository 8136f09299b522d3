import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileSettings, registerHost } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

/**
 * The Audit page narrows the trail by who, what, which kind of change and when; the narrowing
 * happens in the store, inside the caller's own workspace only.
 */
let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;
let memberId: string;
let hostId: string;
let startedAt: string;

beforeAll(async () => {
  store = await openTestStore();
  startedAt = new Date().toISOString();
  team = await workspaceWithOwner(store, "ana@filters.example");
  other = await workspaceWithOwner(store, "oz@elsewhere.example");
  const ws = team.workspace.id;
  const mia = await addSignedInMember(store, ws, team.owner, "mia@filters.example", ["profiles.manage", "hosts.manage"]);
  memberId = mia.userId;
  const miaCaller = callerAs(store, mia);
  await miaCaller.profiles.create({ workspaceId: ws, ...profileSettings({ name: "Mia's jobs" }) });
  hostId = (await registerHost(miaCaller, ws, { name: "mia-eks" })).id;
  await team.ownerCaller.profiles.create({ workspaceId: ws, ...profileSettings({ name: "Ana's jobs" }) });
  // The other workspace's owner does the same kinds of things: none of it may show in the team's trail.
  await other.ownerCaller.profiles.create({ workspaceId: other.workspace.id, ...profileSettings({ name: "Oz's jobs" }) });
});
afterAll(() => store.destroy());

const list = (filter: Record<string, string>) => team.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 100, ...filter });

describe("audit filters", () => {
  it("by actor: only what that person did", async () => {
    const { items } = await list({ actorId: memberId });
    expect(items.map((row) => row.eventType).sort()).toEqual(["host.registered", "member.added", "profile.created"]);
    expect(new Set(items.map((row) => row.actor.label))).toEqual(new Set(["mia@filters.example"]));
  });

  it("by type and actor together", async () => {
    const { items } = await list({ eventType: "profile.created", actorId: team.owner.userId });
    expect(items.map((row) => row.target.label)).toEqual(["Ana's jobs"]);
  });

  it("by target kind, and by one target", async () => {
    const profiles = await list({ targetKind: "profile" });
    expect(profiles.items.map((row) => row.target.label).sort()).toEqual(["Ana's jobs", "Mia's jobs"]);
    const host = await list({ targetKind: "host", targetId: hostId });
    expect(host.items.map((row) => `${row.eventType} ${row.target.label}`)).toEqual(["host.registered mia-eks"]);
  });

  it("by date range: from is inclusive, until is exclusive", async () => {
    const all = (await list({})).items;
    expect(all.length).toBeGreaterThan(3);
    expect((await list({ since: startedAt })).items).toHaveLength(all.length);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list({ since: future })).items).toEqual([]);
    expect((await list({ until: startedAt })).items).toEqual([]);
    const newest = all[0]!;
    const justThat = (await list({ since: newest.at, until: new Date(Date.parse(newest.at) + 1).toISOString() })).items;
    expect(justThat.map((row) => row.id)).toContain(newest.id);
    expect(justThat.every((row) => row.at === newest.at)).toBe(true);
  });

  it("never shows another workspace's rows, whatever the filter names", async () => {
    const theirs = await other.ownerCaller.audit.list({ workspaceId: other.workspace.id, limit: 100, actorId: memberId });
    expect(theirs.items).toEqual([]);
    const byTarget = await other.ownerCaller.audit.list({ workspaceId: other.workspace.id, limit: 100, targetKind: "host", targetId: hostId });
    expect(byTarget.items).toEqual([]);
    const ownRows = await other.ownerCaller.audit.list({ workspaceId: other.workspace.id, limit: 100, eventType: "profile.created" });
    expect(ownRows.items.map((row) => row.target.label)).toEqual(["Oz's jobs"]);
    // And the team's trail, asked for by someone outside it, is not found at all.
    await expect(other.ownerCaller.audit.list({ workspaceId: team.workspace.id, limit: 100, actorId: memberId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers a filter it cannot read with BAD_REQUEST, not a crash", async () => {
    const bad: Record<string, string>[] = [
      { since: "yesterday" },
      { since: new Date().toISOString(), until: new Date(Date.now() - 60_000).toISOString() },
      { actorId: "has spaces in it" },
      { actorId: "x".repeat(65) },
      { targetKind: "spaceship" },
      { eventType: "host.stolen" },
    ];
    for (const filter of bad) await expect(list(filter), JSON.stringify(filter)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("still needs audit.read", async () => {
    const viewer = await addSignedInMember(store, team.workspace.id, team.owner, "vic@filters.example", ["hosts.read"]);
    await expect(callerAs(store, viewer).audit.list({ workspaceId: team.workspace.id, limit: 10, actorId: memberId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
