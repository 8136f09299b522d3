import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OPERATOR_COMMANDS,
  newId,
  SIDECAR_COMMANDS,
  type THost,
  type TSandboxDefinition,
  ZSandboxCreate,
  ZDockerPoolConfigure,
} from "@/prisma-free-schema";
import type { CommandHandlers } from "@/operators/shared/answer-command";
import { OperatorChannel } from "@/operators/shared/operator-channel";
import { createOperatorLog } from "@/operators/shared/operator-log";
import { FAST_TIMING } from "@/operators/shared/testing/started-channel";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { sandboxDefinitionOf } from "../../services/sandboxes/sandbox-definition";
import { ensureSandbox } from "../../services/sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../../services/sandboxes/sandbox-deps";
import { profileStore } from "../../store/profile-store";
import { sandboxStore } from "../../store/sandbox-store";
import { registerHost, profileSettings } from "../../testing/hosts-fixtures";
import { addSignedInMember, callerAs } from "../../testing/test-store";
import { eventually } from "../../testing/eventually";
import { OperatorHostProvider } from "./operator-host-provider";
import { definitionKeyOf } from "./sandbox-spec";

/**
 * Local Docker through the real channel: the platform's OperatorHostProvider and host settings against
 * a minimal operator built on the operators' own OperatorChannel, connected through the embedded
 * hub with a real install key. It records what it is asked and answers per the contract; where
 * the operator would start a container, it starts a sidecar double (another OperatorChannel on
 * the sandbox's access URL). The engine itself is the Docker operator's own tests' business.
 */
type Mode = "healthy" | "never-answers-health" | "exits" | "bad-reply";
let mode: Mode = "healthy";
const received: { type: string; payload: unknown }[] = [];
const sidecars = new Map<string, OperatorChannel>();
const channels: OperatorChannel[] = [];
const quiet = () => createOperatorLog({ level: "error", write: () => undefined });

let platform: PlatformHarness;
let host: THost;
let deps: SandboxDeps;

function startSidecar(sandboxId: string, accessUrl: string, answersHealth: boolean): void {
  const handlers: CommandHandlers = {
    [SIDECAR_COMMANDS.health]: answersHealth
      ? async () => ({ sandboxId, agent: "shell", busy: false, lastSeq: {} })
      : () => new Promise(() => undefined), // connected, and never answers
  };
  const sidecar = new OperatorChannel({
    grants: { origin: {}, fresh: async () => ({ url: accessUrl, expiresAt: "unknown", renewAt: Infinity }), renew: async () => ({ url: accessUrl, expiresAt: "unknown", renewAt: Infinity }), forget: () => undefined },
    operatorVersion: "sidecar-double",
    handlers,
    health: () => ({}),
    log: quiet(),
    timing: { ...FAST_TIMING, handlerTimeoutMs: 60_000 },
  });
  sidecars.set(sandboxId, sidecar);
  void sidecar.run();
}

const operatorHandlers: CommandHandlers = {
  [OPERATOR_COMMANDS.create]: async (payload) => {
    received.push({ type: OPERATOR_COMMANDS.create, payload });
    const create = ZSandboxCreate.parse(payload);
    if (mode === "bad-reply") return { workloadId: 42 };
    if (mode === "healthy" || mode === "never-answers-health") startSidecar(create.sandboxId, create.accessUrl, mode === "healthy");
    return { workloadId: `c-${create.sandboxId}`, fromWarmPool: false };
  },
  [OPERATOR_COMMANDS.inspect]: async (payload) => {
    received.push({ type: OPERATOR_COMMANDS.inspect, payload });
    if (mode === "exits") return { state: "stopped", problem: "exited with 1: sidecar: cannot find /usr/local/bin/node" };
    return { state: "running", problem: null };
  },
  [OPERATOR_COMMANDS.destroy]: async (payload) => {
    received.push({ type: OPERATOR_COMMANDS.destroy, payload });
    const { sandboxId } = payload as { sandboxId: string };
    await sidecars.get(sandboxId)?.stop();
    sidecars.delete(sandboxId);
    return { removed: true, volumeRemoved: false };
  },
  [OPERATOR_COMMANDS.poolConfigure]: async (payload) => {
    received.push({ type: OPERATOR_COMMANDS.poolConfigure, payload });
    const { pools } = ZDockerPoolConfigure.parse(payload);
    return { pools: pools.map((pool) => ({ definitionKey: pool.spec.definitionKey, ready: 0, size: pool.size })) };
  },
  [OPERATOR_COMMANDS.volumesList]: async () => ({ volumes: [{ name: "dp-ws-abc123", createdAt: "2026-01-01T00:00:00Z", inUse: false }] }),
  [OPERATOR_COMMANDS.volumesRemove]: async (payload) => {
    received.push({ type: OPERATOR_COMMANDS.volumesRemove, payload });
    return { removed: true };
  },
};

beforeAll(async () => {
  platform = await startPlatformHarness();
  const withKey = await platform.hostWithKey("docker-laptop");
  host = withKey.host;
  const operator = new OperatorChannel({
    settings: { platformUrl: platform.platformUrl, hostId: host.id, installKey: withKey.key },
    operatorVersion: "0.3.0-test",
    handlers: operatorHandlers,
    health: () => ({ engine: "double" }),
    log: quiet(),
    timing: FAST_TIMING,
  });
  channels.push(operator);
  void operator.run();
  await eventually(() => platform.host(host.id), (h) => h?.status === "registered");
  deps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { docker: new OperatorHostProvider(async () => platform.channel.platform, { createTimeoutMs: 5_000, timeoutMs: 5_000 }) },
    readyTimeoutMs: 3_000,
    healthTimeoutMs: 1_500,
  };
}, 30_000);
afterAll(async () => {
  await Promise.all([...channels, ...sidecars.values()].map((channel) => channel.stop()));
  await platform.stop();
}, 30_000);

function definition(overrides: Partial<TSandboxDefinition> = {}): TSandboxDefinition {
  return {
    profileId: newId("prof"),
    template: "shell",
    provider: "docker",
    hostId: host.id,
    image: "discoparrot/sandbox",
    tag: "latest",
    resourceClass: "small",
    workloadIdentityClientId: null, workloadIdentityTenantId: null,
    persistentWorkspace: false,
    agent: "shell",
    ...overrides,
  };
}
const launch = (want: TSandboxDefinition, ownerId = platform.owner.owner.userId) => ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId, definition: want });
const creates = () => received.filter((r) => r.type === OPERATOR_COMMANDS.create).map((r) => ZSandboxCreate.parse(r.payload));
const destroyed = (sandboxId: string) => received.some((r) => r.type === OPERATOR_COMMANDS.destroy && (r.payload as { sandboxId: string }).sandboxId === sandboxId);
async function failedLaunch(want: TSandboxDefinition) {
  const error = await launch(want).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeDefined();
  const sandboxId = creates().at(-1)!.sandboxId;
  return { message: error!.message, sandboxId, sandbox: await sandboxStore(platform.store).get(platform.workspaceId, sandboxId) };
}

describe("a sandbox on Local Docker", () => {
  it("is created with the definition's spec, becomes ready once its sidecar answers health, and is reused", async () => {
    mode = "healthy";
    const want = definition();
    const { sandbox, reused } = await launch(want);
    expect(reused).toBe(false);
    expect(sandbox.status).toBe("ready");
    const create = creates().at(-1)!;
    expect(create.sandboxId).toBe(sandbox.id);
    expect(create.spec).toEqual({ definitionKey: definitionKeyOf(want), image: "discoparrot/sandbox", tag: "latest", resourceClass: "small", agent: "shell", docker: { workspaceVolume: null } });
    expect(create.accessUrl).toMatch(/^wss?:\/\//);
    expect((await launch(want)).reused).toBe(true);
  });

  it("gives equal definitions one key, and a volume only to a persistent workspace, per person and profile", async () => {
    mode = "healthy";
    const persistent = definition({ persistentWorkspace: true });
    const again = { ...persistent };
    expect(definitionKeyOf(again)).toBe(definitionKeyOf(persistent));
    expect(definitionKeyOf({ ...persistent, tag: "next" })).not.toBe(definitionKeyOf(persistent));
    const mine = await launch(persistent);
    const other = await launch(persistent, newId("usr"));
    const [first, second] = creates().slice(-2);
    expect(first!.spec.definitionKey).toBe(second!.spec.definitionKey);
    expect(first!.spec.docker?.workspaceVolume).toMatch(/^dp-ws-[a-z0-9]+$/);
    expect(second!.spec.docker?.workspaceVolume).not.toBe(first!.spec.docker?.workspaceVolume);
    expect(mine.sandbox.id).not.toBe(other.sandbox.id);
  });

  it("fails a launch whose container exits with what the operator saw, and removes it", async () => {
    mode = "exits";
    const { message, sandboxId, sandbox } = await failedLaunch(definition());
    expect(message).toContain("never connected");
    expect(message).toContain("exited with 1: sidecar: cannot find /usr/local/bin/node");
    expect(sandbox).toMatchObject({ status: "failed", failure: message });
    expect(destroyed(sandboxId)).toBe(true);
  });

  it("is not ready while its sidecar connects but never answers health: the launch fails and the sandbox is destroyed", async () => {
    mode = "never-answers-health";
    const { message, sandboxId, sandbox } = await failedLaunch(definition());
    expect(message).toContain("never answered its health check");
    expect(sandbox?.status).toBe("failed");
    expect(destroyed(sandboxId)).toBe(true);
  });

  it("rejects an operator reply that does not match the contract", async () => {
    mode = "bad-reply";
    const { message, sandbox } = await failedLaunch(definition());
    expect(message).toContain("does not accept");
    expect(sandbox?.status).toBe("failed");
  });
});

describe("a Docker host's settings", () => {
  async function dockerProfile(name: string) {
    const created = await platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...profileSettings({ name, hostChoice: { kind: "host", hostId: host.id } }) });
    return (await profileStore(platform.store).get(platform.workspaceId, created.id))!;
  }
  const revision = async () => (await platform.owner.ownerCaller.hosts.get({ workspaceId: platform.workspaceId, hostId: host.id })).revision;

  it("saves the network and warm pools, audited, and sends the pools to the operator with the launch spec's key", async () => {
    const profile = await dockerProfile("Warm one");
    const saved = await platform.owner.ownerCaller.hosts.updateDockerSettings({
      workspaceId: platform.workspaceId,
      hostId: host.id,
      revision: await revision(),
      settings: { network: "dp-sandboxes", warmPools: [{ profileId: profile.id, size: 3 }] },
    });
    expect(saved.docker).toEqual({ network: "dp-sandboxes", warmPools: [{ profileId: profile.id, size: 3 }] });
    const { items } = await platform.owner.ownerCaller.audit.list({ workspaceId: platform.workspaceId, limit: 5, eventType: "host.docker_settings_changed" });
    expect(items[0]).toMatchObject({ target: { id: host.id }, data: { networkBefore: "bridge", networkAfter: "dp-sandboxes", warmPoolsAfter: [`${profile.id}=3`] } });

    const pushed = await eventually(
      async () => received.filter((r) => r.type === OPERATOR_COMMANDS.poolConfigure).map((r) => ZDockerPoolConfigure.parse(r.payload)).at(-1),
      (last) => (last?.pools.length ?? 0) > 0,
    );
    const launchDefinition = sandboxDefinitionOf(profile, { ok: true, provider: "docker", host: { id: host.id, name: host.name, kind: "docker", workloadIdentity: false }, viaDefaultDockerHost: false });
    expect(pushed?.pools).toEqual([{ size: 3, spec: expect.objectContaining({ definitionKey: definitionKeyOf(launchDefinition), docker: { workspaceVolume: null } }) }]);
  });

  it.each([
    ["a size over 20", (profileId: string) => ({ network: "bridge", warmPools: [{ profileId, size: 21 }] })],
    ["a negative size", (profileId: string) => ({ network: "bridge", warmPools: [{ profileId, size: -1 }] })],
    ["a network name with a space", () => ({ network: "my net", warmPools: [] })],
  ])("refuses %s", async (_what, settings) => {
    const profile = await dockerProfile(`Refused ${Math.random().toString(36).slice(2, 8)}`);
    await expect(
      platform.owner.ownerCaller.hosts.updateDockerSettings({ workspaceId: platform.workspaceId, hostId: host.id, revision: await revision(), settings: settings(profile.id) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses a warm pool for a profile that does not run here, a Kubernetes host, and someone without hosts.manage", async () => {
    const managed = await platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...profileSettings({ name: "Managed only" }) });
    await expect(
      platform.owner.ownerCaller.hosts.updateDockerSettings({
        workspaceId: platform.workspaceId,
        hostId: host.id,
        revision: await revision(),
        settings: { network: "bridge", warmPools: [{ profileId: managed.id, size: 1 }] },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("does not run on") });

    const cluster = await registerHost(platform.owner.ownerCaller, platform.workspaceId, { name: "some-cluster" });
    await expect(
      platform.owner.ownerCaller.hosts.updateDockerSettings({ workspaceId: platform.workspaceId, hostId: cluster.id, revision: cluster.revision, settings: { network: "bridge", warmPools: [] } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Kubernetes host") });

    const reader = callerAs(platform.store, await addSignedInMember(platform.store, platform.workspaceId, platform.owner.owner, "reader@example.com", ["hosts.read"]));
    await expect(
      reader.hosts.updateDockerSettings({ workspaceId: platform.workspaceId, hostId: host.id, revision: await revision(), settings: { network: "bridge", warmPools: [] } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(reader.hosts.removeDockerVolume({ workspaceId: platform.workspaceId, hostId: host.id, name: "dp-ws-abc123" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lists the operator's volumes, removes one (audited), and says when the operator is not connected", async () => {
    const caller = platform.owner.ownerCaller;
    expect(await caller.hosts.dockerVolumes({ workspaceId: platform.workspaceId, hostId: host.id })).toEqual({
      connected: true,
      volumes: [{ name: "dp-ws-abc123", createdAt: "2026-01-01T00:00:00Z", inUse: false }],
    });
    expect(await caller.hosts.removeDockerVolume({ workspaceId: platform.workspaceId, hostId: host.id, name: "dp-ws-abc123" })).toEqual({ removed: true });
    expect(received.some((r) => r.type === OPERATOR_COMMANDS.volumesRemove && (r.payload as { name: string }).name === "dp-ws-abc123")).toBe(true);
    const { items } = await caller.audit.list({ workspaceId: platform.workspaceId, limit: 5, eventType: "host.docker_volume_removed" });
    expect(items[0]).toMatchObject({ target: { id: host.id }, data: { volume: "dp-ws-abc123", removed: true } });

    const away = await platform.hostWithKey("docker-away");
    expect(await caller.hosts.dockerVolumes({ workspaceId: platform.workspaceId, hostId: away.host.id })).toEqual({ connected: false, volumes: [] });
  });

  it("sends the warm pools to an operator when it connects", async () => {
    const before = received.filter((r) => r.type === OPERATOR_COMMANDS.poolConfigure).length;
    await platform.restartHub();
    deps = { ...deps, channel: platform.channel.platform };
    const after = await eventually(async () => received.filter((r) => r.type === OPERATOR_COMMANDS.poolConfigure), (all) => all.length > before, 15_000);
    expect(ZDockerPoolConfigure.parse(after.at(-1)!.payload).pools.map((pool) => pool.size)).toEqual([3]);
  });
});
