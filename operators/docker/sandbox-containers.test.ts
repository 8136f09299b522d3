import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerLimitsOf, OPERATOR_COMMANDS, DOCKER_LABELS, newId, ZSandboxCreateReply, ZSandboxDestroyReply, ZSandboxInspectReply, ZSandboxListReply, ZSandboxSyncReply } from "@/prisma-free-schema";
import { startSandboxPlatform } from "../sidecar/testing/sandbox-platform";
import { CommandError } from "../shared/command-error";
import { SandboxContainers } from "./sandbox-containers";
import { sampleSpec, startTestEngine, type TestEngine } from "./testing/test-engine";

/**
 * Against a real engine (Podman's Docker-compatible API, see testing/test-engine.ts) and the real
 * embedded hub: what a person would notice is whether the sandbox's agent comes online, whether
 * their files are kept, and whether anything else on their machine is touched.
 */
let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

async function create(sandboxId: string, spec = sampleSpec(), accessUrl = "http://127.0.0.1:9/client/hubs/discoparrot?access_token=x") {
  return ZSandboxCreateReply.parse(await engine.command(OPERATOR_COMMANDS.create, { sandboxId, spec, accessUrl }));
}

async function refusal(promise: Promise<unknown>): Promise<CommandError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CommandError);
  return error as CommandError;
}

describe("sandbox containers", () => {
  it("creates a locked-down container whose sidecar comes online on the platform's hub", async () => {
    const platform = await startSandboxPlatform();
    const spec = sampleSpec({ resourceClass: "medium" });
    const { workloadId: containerId, fromWarmPool } = await create(platform.sandboxId, spec, await platform.issueUrl());
    expect(fromWarmPool).toBe(false);

    const info = await engine.docker.getContainer(containerId).inspect();
    const limits = containerLimitsOf("medium");
    expect(info.Name.replace(/^\//, "")).toBe(`dp-${platform.sandboxId}`);
    expect(info.Config.User).toBe("1000:1000");
    expect(info.Config.ExposedPorts ?? {}).toEqual({});
    expect(info.HostConfig.PortBindings ?? {}).toEqual({});
    expect(info.HostConfig.PublishAllPorts).toBe(false);
    expect(info.NetworkSettings.Ports ?? {}).toEqual({});
    // Podman's inspect lists the dropped capabilities one by one where Docker says ["ALL"]; the
    // process itself is the proof either way: no capabilities at all, and no way to gain any.
    expect(info.HostConfig.CapDrop?.length === 1 ? info.HostConfig.CapDrop : ["ALL"]).toEqual(["ALL"]);
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(info.HostConfig.SecurityOpt).toEqual(expect.arrayContaining(["no-new-privileges"]));
    const status = await engine.exec(containerId, ["/bin/cat", "/proc/self/status"]);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapBnd:\s+0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Uid:\s+1000\s/m);
    expect(info.HostConfig.NanoCpus).toBe(limits.nanoCpus);
    expect(info.HostConfig.Memory).toBe(limits.memoryBytes);
    expect(info.Config.Labels).toMatchObject({
      [DOCKER_LABELS.managedBy]: "discoparrot",
      [DOCKER_LABELS.hostId]: engine.hostId,
      [DOCKER_LABELS.sandboxId]: platform.sandboxId,
      [DOCKER_LABELS.definitionKey]: spec.definitionKey,
      [DOCKER_LABELS.workspaceVolume]: `dp-scratch-${platform.sandboxId}`,
    });

    await platform.waitForConnection();
    const health = await platform.command("sandbox.health", {});
    expect(health.payload).toMatchObject({ sandboxId: platform.sandboxId, agent: "shell", busy: false });
    expect(ZSandboxInspectReply.parse(await engine.command(OPERATOR_COMMANDS.inspect, { sandboxId: platform.sandboxId }))).toEqual({ state: "running", problem: null });
    expect(ZSandboxListReply.parse(await engine.command(OPERATOR_COMMANDS.list, {})).sandboxIds).toContain(platform.sandboxId);

    // The running sidecar is moved to a new hub by a new URL file, read at its next connect.
    const next = await platform.startHub();
    const nextUrl = await platform.issueUrl(next);
    await engine.command(OPERATOR_COMMANDS.refreshAccess, { sandboxId: platform.sandboxId, accessUrl: nextUrl });
    expect(await engine.exec(containerId, ["/bin/cat", "/run/discoparrot/access-url"])).toBe(`${nextUrl}\n`);
    await platform.hub.stop();
    platform.useHub(next);
    await platform.waitForConnection();
  });

  it("keeps a persistent workspace between sandboxes; a scratch one starts empty and goes with its sandbox", async () => {
    const volume = `dp-ws-${newId("sbx").slice(4)}`;
    const first = newId("sbx");
    const { workloadId: containerId } = await create(first, sampleSpec({ workspaceVolume: volume }));
    await engine.exec(containerId, ["/bin/sh", "-c", "echo kept > /workspace/notes.txt"]);
    expect(ZSandboxDestroyReply.parse(await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: first }))).toEqual({ removed: true, volumeRemoved: false });

    const second = newId("sbx");
    const again = await create(second, sampleSpec({ workspaceVolume: volume }));
    expect(await engine.exec(again.workloadId, ["/bin/cat", "/workspace/notes.txt"])).toBe("kept\n");
    await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: second });

    const scratch = newId("sbx");
    const fresh = await create(scratch);
    expect(await engine.exec(fresh.workloadId, ["/bin/ls", "-A", "/workspace"])).toBe("");
    await engine.exec(fresh.workloadId, ["/bin/sh", "-c", "echo gone > /workspace/notes.txt"]);
    expect(await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: scratch })).toEqual({ removed: true, volumeRemoved: true });

    const volumes = (await engine.ownVolumes()).map((v) => v.Name);
    expect(volumes).toContain(volume);
    expect(volumes).not.toContain(`dp-scratch-${scratch}`);
    expect((await engine.ownContainers()).map((c) => c.Names[0])).not.toEqual(expect.arrayContaining([`/dp-${first}`, `/dp-${second}`, `/dp-${scratch}`]));
    expect(await engine.command(OPERATOR_COMMANDS.inspect, { sandboxId: scratch })).toEqual({ state: "missing", problem: null });

    expect(await engine.command(OPERATOR_COMMANDS.volumesList, {})).toEqual({ volumes: [{ name: volume, createdAt: expect.any(String), inUse: false }] });
    expect(await engine.command(OPERATOR_COMMANDS.volumesRemove, { name: volume })).toEqual({ removed: true });
    expect((await engine.ownVolumes()).map((v) => v.Name)).not.toContain(volume);
  });

  it("refuses an image the host lacks as image_not_found without pulling it, saying so in words, and leaves nothing behind", async () => {
    const before = { containers: (await engine.ownContainers()).length, volumes: (await engine.ownVolumes()).length };
    const sandboxId = newId("sbx");
    const error = await refusal(create(sandboxId, sampleSpec({ image: "localhost/discoparrot/no-such-image", tag: "v1" })));
    expect(error.code).toBe("image_not_found");
    expect(error.message).toMatch(/^The image localhost\/discoparrot\/no-such-image:v1 is not on the host \(the operator does not pull images by itself\)\. Pull or load it on the host \(docker pull localhost\/discoparrot\/no-such-image:v1\), or change the profile's image and tag\.$/);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect({ containers: (await engine.ownContainers()).length, volumes: (await engine.ownVolumes()).length }).toEqual(before);
    expect(await engine.command(OPERATOR_COMMANDS.inspect, { sandboxId })).toEqual({ state: "missing", problem: error.message });
  });

  it("says in words when the engine refuses the container, and leaves nothing behind", async () => {
    const before = { containers: (await engine.ownContainers()).length, volumes: (await engine.ownVolumes()).length };
    const sandboxId = newId("sbx");
    const lost = new SandboxContainers({ ...engine.engine, network: "dp-no-such-network" }, engine.pool);
    const error = await refusal(lost.create({ sandboxId, spec: sampleSpec(), accessUrl: "http://127.0.0.1:9/client/hubs/discoparrot?access_token=x" }));
    expect(`${error.code}: ${error.message}`).toMatch(/^engine_refused: /);
    expect(error.message).toMatch(/^The host's Docker engine refused the container: .*dp-no-such-network/);
    expect({ containers: (await engine.ownContainers()).length, volumes: (await engine.ownVolumes()).length }).toEqual(before);
  });

  it("says why a stopped sandbox stopped", async () => {
    const sandboxId = newId("sbx");
    const { workloadId: containerId } = await create(sandboxId);
    await engine.docker.getContainer(containerId).kill({ signal: "SIGKILL" });
    await engine.docker.getContainer(containerId).wait();
    const reply = ZSandboxInspectReply.parse(await engine.command(OPERATOR_COMMANDS.inspect, { sandboxId }));
    expect(reply.state).toBe("stopped");
    expect(reply.problem).toMatch(/^exited with code 137/);
    await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId });
  });

  it("never lists, inspects or removes a container it did not make, even one named like a sandbox", async () => {
    const foreignId = newId("sbx");
    const foreign = await engine.docker.createContainer({ name: `dp-${foreignId}`, Image: "localhost/discoparrot/sandbox:test", Entrypoint: ["/bin/sleep", "30"] });
    try {
      await foreign.start();
      const kept = newId("sbx");
      const dropped = newId("sbx");
      await create(kept);
      await create(dropped);

      expect(ZSandboxListReply.parse(await engine.command(OPERATOR_COMMANDS.list, {})).sandboxIds).not.toContain(foreignId);
      expect(await engine.command(OPERATOR_COMMANDS.inspect, { sandboxId: foreignId })).toEqual({ state: "missing", problem: null });
      expect(await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: foreignId })).toEqual({ removed: false, volumeRemoved: false });
      expect((await refusal(create(foreignId))).code).toBe("name_in_use");

      const repaired = ZSandboxSyncReply.parse(await engine.command(OPERATOR_COMMANDS.sync, { keep: [kept, newId("sbx")], graceSeconds: 0 }));
      expect(repaired.present).toEqual([kept]);
      expect(repaired.removed).toContain(dropped);
      expect(repaired.removed).not.toContain(foreignId);
      expect((await foreign.inspect()).State.Running).toBe(true);
      await engine.command(OPERATOR_COMMANDS.destroy, { sandboxId: kept });
    } finally {
      await foreign.remove({ force: true });
    }
  });

  it("refuses payloads that break the contract", async () => {
    expect((await refusal(engine.command(OPERATOR_COMMANDS.create, { sandboxId: "nope", spec: sampleSpec(), accessUrl: "http://x" }))).code).toBe("invalid_input");
    expect((await refusal(engine.command(OPERATOR_COMMANDS.refreshAccess, { sandboxId: newId("sbx"), accessUrl: "http://127.0.0.1/x" }))).code).toBe("not_found");
    expect((await refusal(engine.command(OPERATOR_COMMANDS.volumesRemove, { name: "someone-elses" }))).code).toBe("invalid_input");
  });
});
