import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const REPO = path.resolve(__dirname, "../../..");

/** The sandbox image `scripts/test-engine.sh` builds from this machine's own files (nothing can be pulled). */
export const TEST_IMAGE = { image: "localhost/discoparrot/sandbox", tag: "test" } as const;
const PING_DEADLINE_MS = 15_000;

/**
 * The test engine, ready to use: `scripts/test-engine.sh` (podman, runc, the locally built
 * sandbox image), then `podman system service` serving Docker's API on `socketPath`, answering
 * `/_ping`. `detached` leaves it running past this process (Playwright's setup and teardown are
 * separate processes).
 *
 * It runs in a temporary folder of its own: conmon (2.1.6) marks an OOM kill with an empty `oom`
 * file in its working directory, which it inherits from the service, so started from the repo it
 * left those markers in the repo root. The folder goes when the service exits (a detached one's
 * stays in the temporary directory).
 */
export async function startPodmanService(socketPath: string, options: { detached?: boolean } = {}): Promise<ChildProcess> {
  execFileSync("bash", [path.join(REPO, "scripts/test-engine.sh")], { cwd: REPO, stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
  const cwd = mkdtempSync(path.join(os.tmpdir(), "dp-podman-service-"));
  const service = spawn("podman", ["system", "service", "--time=0", `unix://${socketPath}`], {
    cwd,
    stdio: ["ignore", "ignore", options.detached ? "ignore" : "pipe"],
    detached: options.detached ?? false,
  });
  let errors = "";
  service.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  if (options.detached) service.unref();
  else service.once("exit", () => rmSync(cwd, { recursive: true, force: true }));
  await waitForPing(socketPath, () => errors);
  return service;
}

async function waitForPing(socketPath: string, errors: () => string): Promise<void> {
  const deadline = Date.now() + PING_DEADLINE_MS;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ socketPath, path: "/_ping" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`podman system service did not answer /_ping on ${socketPath}: ${errors()}`);
}
