import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_COMMANDS, newId, ZSandboxCreateReply, ZDockerPoolConfigureReply } from "@/prisma-free-schema";
import { startSandboxPlatform } from "../sidecar/testing/sandbox-platform";
import { sampleSpec, startTestEngine, type TestEngine } from "./testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

const warmIds = async () => (await engine.ownContainers()).filter((c) => c.Names[0]?.startsWith("/dp-warm-")).map((c) => c.Id);

describe("warm pool", () => {
  it("hands a sandbox a container that was already running, sooner, and tops itself up", async () => {
    const spec = sampleSpec();
    const cold = sampleSpec();
    const configured = ZDockerPoolConfigureReply.parse(await engine.command(OPERATOR_COMMANDS.poolConfigure, { pools: [{ spec, size: 1 }] }));
    expect(configured.pools).toEqual([{ definitionKey: spec.definitionKey, ready: expect.any(Number), size: 1 }]);
    await engine.pool.settled();
    const warm = await warmIds();
    expect(warm).toHaveLength(1);

    const coldStarted = performance.now();
    await engine.command(OPERATOR_COMMANDS.create, { sandboxId: newId("sbx"), spec: cold, accessUrl: "http://127.0.0.1:9/x" });
    const coldMs = performance.now() - coldStarted;

    const platform = await startSandboxPlatform();
    const containersBefore = (await engine.ownContainers()).map((c) => c.Id);
    const warmStarted = performance.now();
    const reply = ZSandboxCreateReply.parse(await engine.command(OPERATOR_COMMANDS.create, { sandboxId: platform.sandboxId, spec, accessUrl: await platform.issueUrl() }));
    const warmMs = performance.now() - warmStarted;
    expect(reply).toEqual({ workloadId: warm[0], fromWarmPool: true });
    expect(containersBefore).toContain(reply.workloadId);
    expect(warmMs).toBeLessThan(coldMs);

    // Claimed: it is the sandbox now, by name, and its sidecar comes online.
    await platform.waitForConnection();
    expect((await engine.command(OPERATOR_COMMANDS.list, {})) as { sandboxIds: string[] }).toMatchObject({ sandboxIds: expect.arrayContaining([platform.sandboxId]) });
    await engine.pool.settled();
    const refilled = await warmIds();
    expect(refilled).toHaveLength(1);
    expect(refilled).not.toContain(reply.workloadId);

    // Destroying the claimed sandbox removes its scratch volume too (it kept its warm name).
    const mounts = (await engine.docker.getContainer(reply.workloadId).inspect()).Mounts.map((m) => m.Name);
    expect(await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: platform.sandboxId })).toEqual({ removed: true, volumeRemoved: true });
    const volumes = (await engine.ownVolumes()).map((v) => v.Name);
    for (const name of mounts) expect(volumes).not.toContain(name);
  });

  it("drains the pools it is no longer given and never pools a persistent workspace", async () => {
    const spec = sampleSpec();
    await engine.command(OPERATOR_COMMANDS.poolConfigure, { pools: [{ spec, size: 2 }] });
    await engine.pool.settled();
    expect(await warmIds()).toHaveLength(2);

    const persistent = sampleSpec({ definitionKey: spec.definitionKey, workspaceVolume: `dp-ws-${newId("sbx").slice(4)}` });
    const reply = ZSandboxCreateReply.parse(await engine.command(OPERATOR_COMMANDS.create, { sandboxId: newId("sbx"), spec: persistent, accessUrl: "http://127.0.0.1:9/x" }));
    expect(reply.fromWarmPool).toBe(false);
    await expect(engine.command(OPERATOR_COMMANDS.poolConfigure, { pools: [{ spec: persistent, size: 1 }] })).rejects.toMatchObject({ code: "invalid_input" });

    expect(await engine.command(OPERATOR_COMMANDS.poolConfigure, { pools: [] })).toEqual({ pools: [] });
    await engine.pool.settled();
    expect(await warmIds()).toEqual([]);
    expect((await engine.ownVolumes()).filter((v) => v.Name.startsWith("dp-scratch-warm-"))).toEqual([]);
  });
});
