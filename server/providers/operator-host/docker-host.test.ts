import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_COMMANDS, newId, type TSandboxDefinition, ZSandboxSyncReply } from "@/prisma-free-schema";
import { dockerHandlers } from "@/operators/docker/docker-handlers";
import { startTestEngine, TEST_IMAGE, type TestEngine } from "@/operators/docker/testing/test-engine";
import { OperatorChannel } from "@/operators/shared/operator-channel";
import { createOperatorLog } from "@/operators/shared/operator-log";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { listRunEvents } from "../../services/events/list-run-events";
import { syncOperatorHost } from "../../services/hosts/sync-operator-host";
import { startRun } from "../../services/runs/start-run";
import { ensureSandbox } from "../../services/sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../../services/sandboxes/sandbox-deps";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { usageStore } from "../../store/usage-store";
import { eventually } from "../../testing/eventually";
import { profileSettings } from "../../testing/hosts-fixtures";
import { OperatorHostProvider } from "./operator-host-provider";
import { sandboxSpecOf } from "./sandbox-spec";

/**
 * Runs on a Local Docker host against a real engine (podman's Docker API): the platform, the
 * channel, the Docker operator's own handlers on its channel client, and containers that run the
 * real sidecar. What a host admin would check: where the run landed and how locked down it is,
 * that a warm container is used, that a sandbox which never becomes healthy leaves nothing behind,
 * and that none of it is metered.
 */
let engine: TestEngine;
let platform: PlatformHarness;
let operator: OperatorChannel;
let deps: SandboxDeps;
let hostId: string;

beforeAll(async () => {
  engine = await startTestEngine();
  platform = await startPlatformHarness();
  const { host, key } = await platform.hostWithKey("docker-laptop");
  hostId = host.id;
  operator = new OperatorChannel({
    settings: { platformUrl: platform.platformUrl, hostId: host.id, installKey: key },
    operatorVersion: "0.1.0",
    handlers: dockerHandlers({ engine: engine.engine, sandboxes: engine.sandboxes, pool: engine.pool, operatorVersion: "0.1.0" }),
    health: () => ({}),
    log: createOperatorLog({ level: "error" }),
  });
  void operator.run();
  await eventually(() => platform.host(host.id), (h) => h?.status === "registered", 15_000);
  deps = { store: platform.store, channel: platform.channel.platform, providers: { docker: new OperatorHostProvider(async () => platform.channel.platform) }, readyTimeoutMs: 20_000 };
}, 120_000);
afterAll(async () => {
  await operator?.stop();
  await platform?.stop();
  await engine?.stop();
}, 60_000);

async function dockerProfileId(): Promise<string> {
  const profiles = profileStore(platform.store);
  const existing = (await profiles.list(platform.workspaceId, { limit: 50 })).items.find((profile) => profile.name === "On docker-laptop");
  if (existing) return existing.id;
  const caller = platform.owner.ownerCaller;
  const created = await caller.profiles.create({
    workspaceId: platform.workspaceId,
    ...profileSettings({ name: "On docker-laptop", hostChoice: { kind: "host", hostId }, image: TEST_IMAGE.image, tag: TEST_IMAGE.tag, resourceClass: "small" }),
  });
  return created.id;
}

function definition(profileId: string): TSandboxDefinition {
  return { profileId, template: "shell", provider: "docker", hostId, ...TEST_IMAGE, resourceClass: "small", workloadIdentityClientId: null, workloadIdentityTenantId: null, persistentWorkspace: false, agent: "shell" };
}

describe("a Local Docker host", () => {
  it("runs a turn in a container the operator made: no ports, non-root, no capabilities, no-new-privileges, limits; and nothing is metered", async () => {
    const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access, profileId: await dockerProfileId(), input: 'echo from docker; while read -r line; do case "$line" in Uid:*|CapEff:*|NoNewPrivs:*) echo "$line";; esac; done < /proc/self/status' });
    await started;
    const ended = await eventually(() => runStore(platform.store).get(platform.workspaceId, run.id), (r) => r?.status === "idle", 30_000);
    expect(ended?.failure).toBeNull();
    expect(ended?.lastTurn?.outcome).toBe("succeeded");
    expect(ended?.placement).toMatchObject({ provider: "docker", hostId });
    const output = (await listRunEvents({ store: platform.store, runId: run.id, afterSeq: 0, limit: 100 }))
      .map((event) => (event.kind === "output" ? event.text : ""))
      .join("");
    expect(output).toContain("from docker");
    expect(output).toMatch(/Uid:\s+1000/);
    expect(output).toMatch(/CapEff:\s+0+\n/);
    expect(output).toMatch(/NoNewPrivs:\s+1/);

    const container = await engine.docker.getContainer(`dp-${ended!.sandboxId}`).inspect();
    expect(container.Config.Labels["io.discoparrot.sandbox-id"]).toBe(ended!.sandboxId);
    expect(container.Config.User).toBe("1000:1000");
    expect(container.Config.ExposedPorts ?? {}).toEqual({});
    expect(Object.keys(container.HostConfig.PortBindings ?? {})).toEqual([]);
    expect(container.HostConfig.SecurityOpt?.join(",")).toContain("no-new-privileges");
    expect(container.HostConfig.NanoCpus).toBe(500_000_000);
    expect(container.HostConfig.Memory).toBe(1024 ** 3);
    expect(await usageStore(platform.store).since(platform.workspaceId, "2000-01-01")).toEqual([]);
  }, 90_000);

  it("a run whose image is not on the host ends its turn with that reason in words, not a generic failure", async () => {
    const caller = platform.owner.ownerCaller;
    const profile = await caller.profiles.create({
      workspaceId: platform.workspaceId,
      ...profileSettings({ name: "Missing image", hostChoice: { kind: "host", hostId }, image: "localhost/discoparrot/not-built", tag: "1.2", resourceClass: "small" }),
    });
    const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access, profileId: profile.id, input: "echo never" });
    await started.catch(() => undefined);
    const ended = await eventually(() => runStore(platform.store).get(platform.workspaceId, run.id), (r) => r?.lastTurn?.outcome === "failed", 30_000);
    expect(ended?.failure).toMatch(/^The image localhost\/discoparrot\/not-built:1\.2 is not on the host \(the operator does not pull images by itself\)\. Pull or load it on the host/);
    expect(ended?.failure).not.toMatch(/could not be started|\n\s+at /);
  }, 60_000);

  it("a launch claims a warm container instead of creating one", async () => {
    const wanted = definition(await dockerProfileId());
    const spec = sandboxSpecOf(wanted, null);
    await platform.channel.platform.send(`host:${hostId}`, OPERATOR_COMMANDS.poolConfigure, { pools: [{ spec, size: 1 }] });
    await engine.pool.settled();
    // The counts the operator's check-ins carry to the host page, asked for directly, reconfiguring nothing.
    expect(await platform.channel.platform.send(`host:${hostId}`, OPERATOR_COMMANDS.poolStatus, {})).toEqual({ pools: [{ definitionKey: spec.definitionKey, ready: 1, size: 1 }] });
    const warmIds = new Set((await engine.ownContainers()).map((container) => container.Id));
    const { sandbox } = await ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition: wanted });
    const claimed = await engine.docker.getContainer(`dp-${sandbox.id}`).inspect();
    expect(warmIds.has(claimed.Id)).toBe(true);
    await platform.channel.platform.send(`host:${hostId}`, OPERATOR_COMMANDS.poolConfigure, { pools: [] });
  }, 90_000);

  it("a sync racing a launch (the operator reconnecting just then, in this process or another) does not remove the new sandbox", async () => {
    const at = { workspaceId: platform.workspaceId, hostId };
    const [, { sandbox }] = await Promise.all([
      syncOperatorHost(platform.store, platform.channel.platform, at),
      ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition: definition(await dockerProfileId()) }),
    ]);
    expect((await engine.docker.getContainer(`dp-${sandbox.id}`).inspect()).State.Running).toBe(true);
  }, 60_000);

  it("a sync keeps a sandbox no run knows while it is younger than the grace, and removes it once older", async () => {
    const { sandbox } = await ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition: definition(await dockerProfileId()) });
    const command = (graceSeconds: number) => platform.channel.platform.send(`host:${hostId}`, OPERATOR_COMMANDS.sync, { keep: [], graceSeconds });
    expect(ZSandboxSyncReply.parse(await command(60)).removed).not.toContain(sandbox.id);
    expect((await engine.docker.getContainer(`dp-${sandbox.id}`).inspect()).State.Running).toBe(true);
    expect(ZSandboxSyncReply.parse(await command(0)).removed).toContain(sandbox.id);
    await expect(engine.docker.getContainer(`dp-${sandbox.id}`).inspect()).rejects.toThrow();
  }, 60_000);

  it("a sandbox whose sidecar does not answer health in time fails fast, says why, and leaves no container behind", async () => {
    const before = new Set((await engine.ownContainers()).map((container) => container.Id));
    const impatient: SandboxDeps = { ...deps, healthTimeoutMs: 1 };
    await expect(ensureSandbox(impatient, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition: definition(await dockerProfileId()) })).rejects.toThrow(
      /never answered its health check/,
    );
    const failed = (await sandboxStore(platform.store).liveOnHost(platform.workspaceId, hostId)).filter((sandbox) => sandbox.status === "failed");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    const after = (await engine.ownContainers()).filter((container) => !before.has(container.Id));
    expect(after).toEqual([]);
  }, 60_000);
});
