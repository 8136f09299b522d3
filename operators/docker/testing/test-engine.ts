import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { newId, type TSandboxSpec } from "@/prisma-free-schema";
import { createOperatorLog } from "../../shared/operator-log";
import { demultiplex, lastLogLines } from "../container-logs";
import { dockerHandlers } from "../docker-handlers";
import { ownFilter } from "../ownership";
import { SandboxContainers } from "../sandbox-containers";
import type { EngineContext } from "../start-container";
import { WarmPool } from "../warm-pool";
import { WorkspaceVolumes } from "../workspace-volumes";
import { startPodmanService, TEST_IMAGE } from "./podman-service";

export { TEST_IMAGE };

/**
 * A real container engine for the Docker operator's tests: `scripts/test-engine.sh` (Podman,
 * runc, the locally built sandbox image) and `podman system service`, Docker's API as dockerode
 * sees it: the test run's one service (podman-global-setup.ts), or one of this file's own. Each
 * test file gets its own host id, so files running side by side never see each other's
 * containers; whatever carries that host id is removed at the end.
 */

export function sampleSpec(overrides: Partial<Omit<TSandboxSpec, "docker">> & { workspaceVolume?: string | null } = {}): TSandboxSpec {
  const { workspaceVolume = null, ...rest } = overrides;
  return { definitionKey: randomBytes(8).toString("hex"), ...TEST_IMAGE, resourceClass: "small", agent: "shell", docker: { workspaceVolume }, ...rest };
}

/**
 * The run's service when vitest started one; undefined outside vitest (a benchmark, a Playwright
 * spec). vitest is imported only inside it: loaded anywhere else (tsx's CommonJS) it throws.
 */
async function sharedPodmanSocket(): Promise<string | undefined> {
  if (!process.env.VITEST) return undefined;
  try {
    const { inject } = await import("vitest");
    return inject("podmanSocket");
  } catch {
    return undefined;
  }
}

export async function startTestEngine() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dp-engine-"));
  // The run's one service when vitest started it (podman-global-setup.ts); else one of this file's own.
  const shared = await sharedPodmanSocket();
  const socketPath = shared ?? path.join(dir, "podman.sock");
  const service = shared ? undefined : await startPodmanService(socketPath);

  const docker = new Docker({ socketPath });
  const hostId = newId("host");
  const engine: EngineContext = { docker, hostId, network: "host", volumes: new WorkspaceVolumes(docker, hostId) };
  const log = createOperatorLog({ level: "error" });
  const pool = new WarmPool(engine, log);
  const sandboxes = new SandboxContainers(engine, pool);
  const handlers = dockerHandlers({ engine, sandboxes, pool, operatorVersion: "0.1.0" });

  return {
    docker,
    hostId,
    socketPath,
    engine,
    pool,
    sandboxes,
    /** Calls a command's handler as the channel would. */
    command: (type: string, payload: unknown) => handlers[type]!(payload, { correlationId: "test", signal: new AbortController().signal }),
    /** Every container of this test host, warm or not. */
    ownContainers: () => docker.listContainers({ all: true, filters: ownFilter(hostId) }),
    ownVolumes: async () => (await docker.listVolumes({ filters: ownFilter(hostId) })).Volumes ?? [],
    /** Runs a command in a container through the API; resolves with its output once it ends. */
    async exec(containerId: string, command: string[]): Promise<string> {
      const container = docker.getContainer(containerId);
      const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true }).catch(async (error: unknown) => {
        // A container that is no longer running says why, so a failure names its cause, not just the engine's refusal.
        const info = await container.inspect().catch(() => undefined);
        const logs = await lastLogLines(container, 40).catch(() => "");
        const state = info ? JSON.stringify({ ...info.State, Health: undefined }) : "gone";
        throw new Error(`exec ${command.join(" ")} in ${containerId.slice(0, 12)} failed (${String(error)}); state ${state}; last log lines:\n${logs}`);
      });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      await new Promise((resolve) => stream.on("end", resolve));
      return demultiplex(Buffer.concat(chunks));
    },
    async stop() {
      await pool.stop();
      for (const container of await docker.listContainers({ all: true, filters: ownFilter(hostId) })) {
        await docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
      }
      for (const volume of (await docker.listVolumes({ filters: ownFilter(hostId) })).Volumes ?? []) {
        await docker.getVolume(volume.Name).remove().catch(() => undefined);
      }
      if (service) {
        service.kill("SIGTERM");
        await new Promise((resolve) => (service.exitCode !== null ? resolve(null) : service.once("exit", resolve)));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
export type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

