import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startPodmanService } from "./podman-service";

declare module "vitest" {
  export interface ProvidedContext {
    /** The one `podman system service` socket every test file's engine talks to (test-engine.ts). */
    podmanSocket: string | undefined;
  }
}

/**
 * One container engine for the whole test run, started before any file: every file that needs
 * one talks to this service, each as a host of its own (its own labels), rather than each
 * starting a `podman system service` of its own on the same storage, which under load lost a
 * container's state or a volume between two calls. Without podman (a machine that runs no
 * Docker-host tests) nothing is started.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  try {
    execFileSync("podman", ["--version"], { stdio: "ignore" });
  } catch {
    project.provide("podmanSocket", undefined);
    return undefined;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "dp-podman-"));
  const socketPath = path.join(dir, "podman.sock");
  const service = await startPodmanService(socketPath);
  project.provide("podmanSocket", socketPath);
  return async () => {
    service.kill("SIGTERM");
    await new Promise((resolve) => (service.exitCode !== null ? resolve(null) : service.once("exit", resolve)));
    await rm(dir, { recursive: true, force: true });
  };
}
