/**
 * Launch-to-ready on a Local Docker host, through the whole path — platform → channel → Docker
 * operator → podman's Docker API → container → sidecar connects and answers health — cold (a new
 * container) and from the warm pool, beside a bare `docker run` of the same image (create, start,
 * exit) measured in the same run.
 */
import { newId, type TSandboxDefinition } from "@/prisma-free-schema";
import { dockerHandlers } from "../operators/docker/docker-handlers";
import { startTestEngine, TEST_IMAGE } from "../operators/docker/testing/test-engine";
import { OperatorChannel } from "../operators/shared/operator-channel";
import { createOperatorLog } from "../operators/shared/operator-log";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { OperatorHostProvider } from "../server/providers/operator-host/operator-host-provider";
import { sandboxSpecOf } from "../server/providers/operator-host/sandbox-spec";
import { destroySandbox } from "../server/services/sandboxes/destroy-sandbox";
import { ensureSandbox } from "../server/services/sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../server/services/sandboxes/sandbox-deps";
import { eventually } from "../server/testing/eventually";
import { AS_DEPLOYED, emit, emitLatency } from "./measure";

const LAUNCHES = 12;
const POOL_SIZE = 2;

export async function run(): Promise<void> {
  const engine = await startTestEngine();
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const { host, key } = await platform.hostWithKey("bench-docker");
  const log = createOperatorLog({ level: "error", write: (line) => void process.stderr.write(line) });
  const operator = new OperatorChannel({
    settings: { platformUrl: platform.platformUrl, hostId: host.id, installKey: key },
    operatorVersion: "bench",
    handlers: dockerHandlers({ engine: engine.engine, sandboxes: engine.sandboxes, pool: engine.pool, operatorVersion: "bench" }),
    health: () => ({}),
    log,
  });
  const connected = new Promise<void>((resolve) => operator.on("status", (status) => status.state === "connected" && resolve()));
  void operator.run();
  await connected;
  // As a person would: launches start once the host shows Registered (its reconnect repair done).
  await eventually(() => platform.host(host.id), (current) => current?.status === "registered", 15_000);

  const provider = new OperatorHostProvider(async () => platform.channel.platform);
  const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { docker: provider }, readyTimeoutMs: 30_000 };
  const definition: TSandboxDefinition = {
    profileId: newId("prof"),
    template: "shell",
    provider: "docker",
    hostId: host.id,
    ...TEST_IMAGE,
    resourceClass: "small",
    workloadIdentityClientId: null, workloadIdentityTenantId: null,
    persistentWorkspace: false,
    agent: "shell",
  };

  /** One launch to ready, timed; the sandbox is destroyed afterwards (not timed). */
  async function launch(): Promise<number> {
    const started = performance.now();
    const { sandbox } = await ensureSandbox(deps, { workspaceId: platform.workspaceId, ownerId: newId("usr"), definition });
    const ms = performance.now() - started;
    await destroySandbox(deps, sandbox, "benchmark");
    return ms;
  }

  try {
    await launch(); // warm-up: image layers in the page cache, JIT, the event handler
    const cold: number[] = [];
    for (let i = 0; i < LAUNCHES; i += 1) cold.push(await launch());

    await engine.pool.configure([{ spec: sandboxSpecOf(definition, null), size: POOL_SIZE }]);
    const warm: number[] = [];
    for (let i = 0; i < LAUNCHES; i += 1) {
      await engine.pool.settled(); // a full pool before each launch, as a host with a topped-up pool has
      warm.push(await launch());
    }
    await engine.pool.configure([]);

    const bare: number[] = [];
    for (let i = 0; i < LAUNCHES; i += 1) {
      const started = performance.now();
      const container = await engine.docker.createContainer({ Image: `${TEST_IMAGE.image}:${TEST_IMAGE.tag}`, Entrypoint: ["/bin/true"], HostConfig: { NetworkMode: "host" } });
      await container.start();
      await container.wait();
      bare.push(performance.now() - started);
      await container.remove({ force: true });
    }

    const byOrder = (a: number, b: number) => a - b;
    const coldP50 = emitLatency("docker", "cold_launch_to_ready", cold.sort(byOrder));
    const warmP50 = emitLatency("docker", "warm_pool_launch_to_ready", warm.sort(byOrder));
    const bareP50 = emitLatency("docker", "bare_docker_run_launch_to_ready", bare.sort(byOrder));
    emit({ bench: "docker", metric: "warm_vs_cold_p50", value: warmP50 / coldP50, unit: "ratio" });
    emit({ bench: "docker", metric: "cold_vs_bare_docker_run_p50", value: coldP50 / bareP50, unit: "ratio" });
  } finally {
    await operator.stop();
    await platform.stop();
    await engine.stop();
  }
}
