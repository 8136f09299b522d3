import fs from "node:fs";
import path from "node:path";
import { startPodmanService } from "../operators/docker/testing/podman-service";

/**
 * The container engine Docker-host specs run against: podman's Docker-compatible API on a unix
 * socket this run owns, with the locally built sandbox image (nothing can be pulled here).
 */
export { TEST_IMAGE as SANDBOX_IMAGE } from "../operators/docker/testing/podman-service";

export function engineSocket(): string {
  return path.join(process.env.E2E_DATA_DIR!, "podman.sock");
}

export function dockerHost(): string {
  return `unix://${engineSocket()}`;
}

/** Builds the image if needed and starts the engine for the whole run (Playwright's teardown stops it by pid). */
export async function startEngine(): Promise<void> {
  const engine = await startPodmanService(engineSocket(), { detached: true });
  fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "podman.pid"), String(engine.pid));
}
