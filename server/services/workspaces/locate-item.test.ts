import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostStore } from "../../store/host-store";
import { registerHost } from "../../testing/hosts-fixtures";
import { createTestRun } from "../../testing/runs-fixtures";
import { addSignedInMember, callerAs, openTestStore, signedInPerson, type TestStore, workspaceWithOwner } from "../../testing/test-store";
import { createWorkspace } from "./create-workspace";
import { listMyWorkspaces } from "./list-my-workspaces";
import { workspaceForPage } from "./workspace-for-page";

/**
 * A link to a run, host or profile opens in whichever of the person's workspaces holds it, and
 * tells someone outside that workspace nothing: not even that the item exists.
 */
function nonEmpty<T>(list: T[]): [T, ...T[]] {
  const [first, ...rest] = list;
  if (!first) throw new Error("expected at least one workspace");
  return [first, ...rest];
}

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.destroy();
});

describe("links across workspaces", () => {
  it("finds a run of another of your workspaces, and answers an outsider exactly as for a made-up id", async () => {
    const alpha = await workspaceWithOwner(store, "alex@alpha.test");
    const run = await createTestRun(store, alpha.workspace.id, alpha.owner);
    // Bea is in Alpha (a plain member) and has a workspace of her own, which she last looked at.
    const bea = await addSignedInMember(store, alpha.workspace.id, alpha.owner, "bea@alpha.test", []);
    const own = await createWorkspace({ store, actor: bea, name: "Bea's own" });

    expect(await callerAs(store, bea).workspaces.locate({ kind: "run", id: run.id })).toEqual({ workspaceId: alpha.workspace.id, workspaceName: alpha.workspace.name });

    const mine = nonEmpty(await listMyWorkspaces({ store, actor: bea }));
    const page = await workspaceForPage({ store, actor: bea, workspaces: mine, chosenId: own.id, path: `/runs/${run.id}?tab=log` });
    expect(page).toMatchObject({ current: { id: alpha.workspace.id }, switched: true });
    const stay = await workspaceForPage({ store, actor: bea, workspaces: mine, chosenId: own.id, path: "/runs" });
    expect(stay).toMatchObject({ current: { id: own.id }, switched: false });
    const asked = await workspaceForPage({ store, actor: bea, workspaces: mine, chosenId: alpha.workspace.id, path: `/hosts?workspace=${own.id}` });
    expect(asked).toMatchObject({ current: { id: own.id }, switched: true });

    const outsider = await signedInPerson(store, "olga@outside.test");
    await createWorkspace({ store, actor: outsider, name: "Olga's" });
    const real = await callerAs(store, outsider).workspaces.locate({ kind: "run", id: run.id }).catch((error: unknown) => error);
    const madeUp = await callerAs(store, outsider).workspaces.locate({ kind: "run", id: "run_aaaaaaaaaaaaaaaaaaaa" }).catch((error: unknown) => error);
    expect(real).toMatchObject({ code: "NOT_FOUND", message: "Run was not found." });
    expect(madeUp).toMatchObject({ code: "NOT_FOUND", message: (real as Error).message });
    const theirs = nonEmpty(await listMyWorkspaces({ store, actor: outsider }));
    expect(await workspaceForPage({ store, actor: outsider, workspaces: theirs, chosenId: undefined, path: `/runs/${run.id}` })).toMatchObject({ switched: false, current: { id: theirs[0].id } });
  });

  it("finds a host only where the person may see hosts, and refuses a malformed id as bad input", async () => {
    const alpha = await workspaceWithOwner(store, "hana@hosts.test");
    const host = await registerHost(alpha.ownerCaller, alpha.workspace.id, { name: "hana-laptop" });
    expect(await hostStore(store).get(alpha.workspace.id, host.id)).toBeDefined();
    const runner = await addSignedInMember(store, alpha.workspace.id, alpha.owner, "rui@hosts.test", ["runs.start"]);
    const reader = await addSignedInMember(store, alpha.workspace.id, alpha.owner, "rae@hosts.test", ["hosts.read"]);

    await expect(callerAs(store, reader).workspaces.locate({ kind: "host", id: host.id })).resolves.toMatchObject({ workspaceId: alpha.workspace.id });
    await expect(callerAs(store, runner).workspaces.locate({ kind: "host", id: host.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(store, reader).workspaces.locate({ kind: "host", id: "../etc" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerAs(undefined as never, undefined).workspaces.locate({ kind: "run", id: "run_aaaaaaaaaaaaaaaaaaaa" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
