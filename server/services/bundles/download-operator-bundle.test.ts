import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getEnv } from "../../env";
import { hostStore } from "../../store/host-store";
import { registerHost } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs, openTestStore, TEST_ORIGIN, workspaceWithOwner, type TestStore, type TestWorkspace } from "../../testing/test-store";
import { installKeyMatches } from "../keys/install-key";
import { setWorkspacePlan } from "../workspaces/set-workspace-plan";

// The audit trail can be made to fail on demand, to see the key change undone.
const auditOutage = vi.hoisted(() => ({ on: false }));
vi.mock("../../store/audit-store", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../store/audit-store")>();
  return {
    ...real,
    auditStore: (store: Parameters<typeof real.auditStore>[0]) => {
      const events = real.auditStore(store);
      return { ...events, append: (event: Parameters<typeof events.append>[0]) => (auditOutage.on ? Promise.reject(new Error("audit store down")) : events.append(event)) };
    },
  };
});

let store: TestStore;
let team: TestWorkspace;
const ws = () => team.workspace.id;
const KEY = /opk_[A-Za-z0-9_-]{43}/;

beforeAll(async () => {
  store = await openTestStore();
  team = await workspaceWithOwner(store, "bea@bundles.example");
  await team.ownerCaller.workspaces.setByoChannel({ workspaceId: ws(), enabled: true });
});
afterAll(() => store.destroy());

const download = (hostId: string, caller = team.ownerCaller, workspaceId = ws()) => caller.hosts.downloadOperatorBundle({ workspaceId, hostId });

async function storedHost(workspaceId: string, hostId: string) {
  return (await hostStore(store).get(workspaceId, hostId))!;
}

async function bundleAuditRows(workspaceId = ws(), caller = team.ownerCaller) {
  return (await caller.audit.list({ workspaceId, limit: 50, eventType: "host.operator_bundle" })).items;
}

function keyIn(content: string): string {
  const key = KEY.exec(content)?.[0];
  if (!key) throw new Error("no install key in the file");
  return key;
}

describe("operator bundle download", () => {
  it("issues a Kubernetes manifest holding a fresh key, with the commands to apply it, and audits only the fingerprint", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "prod-eks" });
    const bundle = await download(host.id);

    expect(bundle.files.map(({ filename, mediaType, holdsKey }) => ({ filename, mediaType, holdsKey }))).toEqual([
      { filename: "discoparrot-operator-prod-eks.yaml", mediaType: "application/yaml", holdsKey: true },
    ]);
    expect(bundle.commands).toEqual([
      "kubectl apply -f discoparrot-operator-prod-eks.yaml",
      "kubectl rollout status deployment/discoparrot-operator -n discoparrot-prod-eks --timeout=120s",
    ]);
    expect(bundle.files[0]!.content).toContain(`${getEnv().publicUrl ?? TEST_ORIGIN}`);
    const key = keyIn(bundle.files[0]!.content);

    const stored = await storedHost(ws(), host.id);
    expect(installKeyMatches(key, stored.installKeyHash)).toBe(true);
    expect(stored.installKeyFingerprint).toBe(bundle.fingerprint);
    expect(bundle.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect((await team.ownerCaller.hosts.get({ workspaceId: ws(), hostId: host.id })).installKeyFingerprint).toBe(bundle.fingerprint);

    const [row] = await bundleAuditRows();
    expect(row).toMatchObject({
      target: { kind: "host", id: host.id, label: "prod-eks" },
      actor: { label: "bea@bundles.example" },
      data: { kind: "kubernetes", fingerprint: bundle.fingerprint, previousFingerprint: null },
    });
    expect(JSON.stringify(row)).not.toContain("opk_");
  });

  it("retires the previous key on a second download", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "twice" });
    const first = await download(host.id);
    const second = await download(host.id);
    const stored = await storedHost(ws(), host.id);

    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(installKeyMatches(keyIn(second.files[0]!.content), stored.installKeyHash)).toBe(true);
    expect(installKeyMatches(keyIn(first.files[0]!.content), stored.installKeyHash)).toBe(false);
    const rows = (await bundleAuditRows()).filter((row) => row.target.id === host.id);
    expect(rows.map((row) => row.data)).toEqual([
      { kind: "kubernetes", fingerprint: second.fingerprint, previousFingerprint: first.fingerprint },
      { kind: "kubernetes", fingerprint: first.fingerprint, previousFingerprint: null },
    ]);
    expect(JSON.stringify(rows)).not.toContain("opk_");
  });

  it("issues a Compose file without the key and an env file with it for a Local Docker host", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "dev-laptop", kind: "docker" });
    const bundle = await download(host.id);
    const [compose, env] = bundle.files;

    expect(bundle.files.map(({ filename, holdsKey }) => ({ filename, holdsKey }))).toEqual([
      { filename: "discoparrot-operator-dev-laptop.compose.yaml", holdsKey: false },
      { filename: "discoparrot-operator-dev-laptop.env", holdsKey: true },
    ]);
    expect(compose!.content).not.toContain("opk_");
    expect(installKeyMatches(keyIn(env!.content), (await storedHost(ws(), host.id)).installKeyHash)).toBe(true);
    expect(bundle.commands).toEqual(["docker compose -f discoparrot-operator-dev-laptop.compose.yaml up -d"]);
  });

  it("is held back, changing nothing, until the workspace's bring-your-own channel is on", async () => {
    const quiet = await workspaceWithOwner(store, "cal@quiet.example");
    const host = await registerHost(quiet.ownerCaller, quiet.workspace.id, { name: "not-yet" });
    const { etag } = await storedHost(quiet.workspace.id, host.id);
    await expect(download(host.id, quiet.ownerCaller, quiet.workspace.id)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("Turn on the bring-your-own channel in Settings → General"),
    });
    const stored = await storedHost(quiet.workspace.id, host.id);
    expect(stored).toMatchObject({ installKeyHash: null, installKeyFingerprint: null, etag });
    expect(await bundleAuditRows(quiet.workspace.id, quiet.ownerCaller)).toEqual([]);
  });

  it("is refused, changing nothing, when the plan has no bring-your-own hosts", async () => {
    const shrunk = await workspaceWithOwner(store, "dee@shrunk.example");
    await shrunk.ownerCaller.workspaces.setByoChannel({ workspaceId: shrunk.workspace.id, enabled: true });
    const host = await registerHost(shrunk.ownerCaller, shrunk.workspace.id, { name: "downgraded" });
    await setWorkspacePlan({ store, workspaceId: shrunk.workspace.id, plan: "team" });
    const { etag } = await storedHost(shrunk.workspace.id, host.id);
    await expect(download(host.id, shrunk.ownerCaller, shrunk.workspace.id)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("not included in this workspace's plan"),
    });
    expect(await storedHost(shrunk.workspace.id, host.id)).toMatchObject({ installKeyHash: null, etag });
    expect(await bundleAuditRows(shrunk.workspace.id, shrunk.ownerCaller)).toEqual([]);
  });

  it("is refused to a member with only hosts.read", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "read-only" });
    const reader = callerAs(store, await addSignedInMember(store, ws(), team.owner, "rae@bundles.example", ["hosts.read"]));
    const { etag } = await storedHost(ws(), host.id);
    await expect(download(host.id, reader)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("hosts.manage") });
    expect(await storedHost(ws(), host.id)).toMatchObject({ installKeyHash: null, etag });
  });

  it("answers NOT_FOUND for another workspace's host, and changes nothing there", async () => {
    const rival = await workspaceWithOwner(store, "rex@rival.example");
    await rival.ownerCaller.workspaces.setByoChannel({ workspaceId: rival.workspace.id, enabled: true });
    const theirs = await registerHost(rival.ownerCaller, rival.workspace.id, { name: "rival-host" });
    const { etag } = await storedHost(rival.workspace.id, theirs.id);
    await expect(download(theirs.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(download(theirs.id, team.ownerCaller, rival.workspace.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await storedHost(rival.workspace.id, theirs.id)).toMatchObject({ installKeyHash: null, etag });
  });

  it("puts the previous key back when the download cannot be audited", async () => {
    const host = await registerHost(team.ownerCaller, ws(), { name: "unrecorded" });
    const first = await download(host.id);
    const before = await storedHost(ws(), host.id);
    auditOutage.on = true;
    try {
      await expect(download(host.id)).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringContaining("audit trail") });
    } finally {
      auditOutage.on = false;
    }
    const after = await storedHost(ws(), host.id);
    expect(after).toMatchObject({ installKeyHash: before.installKeyHash, installKeyFingerprint: first.fingerprint });
    expect(installKeyMatches(keyIn(first.files[0]!.content), after.installKeyHash)).toBe(true);
  });
});
