import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS, FIRST_INPUT_SNIPPET, firstInputSnippet, newId, type TRun } from "@/prisma-free-schema";
import { createTestRun } from "../../testing/runs-fixtures";
import { addSignedInMember, callerAs, openTestStore, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";

/**
 * The runs list narrowed on the server: by status, profile, person, host and the first turn's
 * text, page by page, and never past the member's own workspace.
 */
let store: TestStore;
let team: TestWorkspace;
let other: TestWorkspace;
let member: Awaited<ReturnType<typeof addSignedInMember>>;
const profileA = newId("prof");
const profileB = newId("prof");
const hostId = newId("host");

function at(day: number): string {
  return new Date(Date.UTC(2031, 0, day)).toISOString();
}

const runs: Record<string, TRun> = {};

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "lina@list.example");
  other = await workspaceWithOwner(store, "otto@elsewhere.example");
  member = await addSignedInMember(store, team.workspace.id, team.owner, "max@list.example", []);
  const ended = { turn: 1, startedAt: at(1), endedAt: at(1), outcome: "failed" as const };
  runs.flaky = await createTestRun(store, team.workspace.id, team.owner, { createdAt: at(1), profileId: profileA, status: "idle", lastTurn: ended }, "Fix the FLAKY login test");
  runs.docs = await createTestRun(store, team.workspace.id, member, { createdAt: at(2), profileId: profileB }, "Write the docs for the login page");
  runs.onHost = await createTestRun(
    store,
    team.workspace.id,
    member,
    { createdAt: at(3), profileId: profileA, status: "ended", placement: { provider: "docker", hostId, hostName: "build-box" } },
    "Bump dependencies",
  );
  // Another workspace's run, with the same words and the same kind of ids.
  runs.foreign = await createTestRun(store, other.workspace.id, other.owner, { createdAt: at(4), profileId: profileA }, "Fix the flaky login test over there");
});
afterAll(() => store.destroy());

async function ids(input: Record<string, unknown>, caller = callerAs(store, member)): Promise<string[]> {
  const { items } = await caller.runs.list({ workspaceId: team.workspace.id, limit: 50, ...input });
  return items.map((run) => run.id);
}

describe("the runs list's filters", () => {
  it("narrows by status, profile, person and host, alone and together, newest first", async () => {
    expect(await ids({})).toEqual([runs.onHost!.id, runs.docs!.id, runs.flaky!.id]);
    expect(await ids({ status: "idle" })).toEqual([runs.flaky!.id]);
    expect(await ids({ profileId: profileA })).toEqual([runs.onHost!.id, runs.flaky!.id]);
    expect(await ids({ startedBy: member.userId })).toEqual([runs.onHost!.id, runs.docs!.id]);
    expect(await ids({ hostId })).toEqual([runs.onHost!.id]);
    expect(await ids({ hostId: "managed" })).toEqual([runs.docs!.id, runs.flaky!.id]);
    expect(await ids({ profileId: profileA, startedBy: member.userId })).toEqual([runs.onHost!.id]);
    expect(await ids({ status: "running", profileId: profileA })).toEqual([]);
  });

  it("finds a run by any part of its first turn's input, whatever the case; a blank search is no search", async () => {
    expect(await ids({ q: "flaky" })).toEqual([runs.flaky!.id]);
    expect(await ids({ q: "LOGIN" })).toEqual([runs.docs!.id, runs.flaky!.id]);
    expect(await ids({ q: "login", startedBy: team.owner.userId })).toEqual([runs.flaky!.id]);
    expect(await ids({ q: "nothing like this" })).toEqual([]);
    expect(await ids({ q: "   " })).toHaveLength(3);
    // Search text is data, never query syntax.
    expect(await ids({ q: "' OR 1=1 --" })).toEqual([]);
  });

  it("pages through a filtered list with its cursor", async () => {
    const caller = callerAs(store, member);
    const first = await caller.runs.list({ workspaceId: team.workspace.id, limit: 1, q: "login" });
    const second = await caller.runs.list({ workspaceId: team.workspace.id, limit: 1, q: "login", cursor: first.cursor });
    expect([...first.items, ...second.items].map((run) => run.id)).toEqual([runs.docs!.id, runs.flaky!.id]);
    expect(first.items[0]!.firstInput).toBe("Write the docs for the login page");
  });

  it("never shows another workspace's runs, whatever the filters; naming that workspace is refused", async () => {
    for (const input of [{ q: "flaky" }, { profileId: profileA }, { startedBy: other.owner.userId }, { hostId: "managed" as const }]) {
      expect(await ids(input)).not.toContain(runs.foreign!.id);
    }
    expect(await ids({ startedBy: other.owner.userId })).toEqual([]);
    const caller = callerAs(store, member);
    await expect(caller.runs.list({ workspaceId: other.workspace.id, limit: 10, q: "flaky" })).rejects.toMatchObject({ code: expect.stringMatching(/FORBIDDEN|NOT_FOUND/) });
  });

  it("refuses bad filters with a typed BAD_REQUEST that says what is wrong", async () => {
    const caller = callerAs(store, member);
    const list = (input: Record<string, unknown>) => caller.runs.list({ workspaceId: team.workspace.id, limit: 10, ...input } as never);
    await expect(list({ q: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("at most 200 characters") });
    await expect(list({ status: "exploded" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(list({ hostId: "somewhere" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(list({ startedBy: "lina@list.example" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(list({ profileId: 42 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists a run saved before snippets were kept, with none, and no search finds it", async () => {
    const { firstInput: _firstInput, ...old } = await createTestRun(store, other.workspace.id, other.owner, { createdAt: at(9) });
    // The document as an earlier version wrote it: no firstInput at all.
    const container = await store.container(CONTAINERS.runs);
    await container.item(old.id, other.workspace.id).replace({ ...old, id: old.id });
    const { items } = await other.ownerCaller.runs.list({ workspaceId: other.workspace.id, limit: 10 });
    expect(items.find((run) => run.id === old.id)).toMatchObject({ firstInput: null });
    const found = await other.ownerCaller.runs.list({ workspaceId: other.workspace.id, limit: 10, q: "hello" });
    expect(found.items.map((run) => run.id)).not.toContain(old.id);
  });
});

describe("the filter menus", () => {
  it("offer the people and hosts the workspace's runs name, and nothing of another workspace", async () => {
    const options = await callerAs(store, member).runs.filterOptions({ workspaceId: team.workspace.id });
    expect(options.people).toEqual([
      { userId: team.owner.userId, email: "lina@list.example" },
      { userId: member.userId, email: "max@list.example" },
    ]);
    expect(options.hosts).toEqual([{ hostId, hostName: "build-box" }]);
    expect(options.managed).toBe(true);
  });
});

describe("the first turn's snippet", () => {
  it("keeps the start of a long input and never half a character", () => {
    expect(firstInputSnippet("a".repeat(1000))).toHaveLength(FIRST_INPUT_SNIPPET);
    const emoji = `${"a".repeat(FIRST_INPUT_SNIPPET - 1)}😀`;
    expect(firstInputSnippet(emoji)).toBe("a".repeat(FIRST_INPUT_SNIPPET - 1));
  });
});
