import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The container engine Docker-host specs run against: podman's Docker-compatible API on a unix
 * socket this run owns, with the locally built sandbox image (nothing can be pulled here).
 */
export const SANDBOX_IMAGE = { image: "localhost/discoparrot/sandbox", tag: "test" };

export function engineSocket(): string {
  return path.join(process.env.E2E_DATA_DIR!, "podman.sock");
}

export function dockerHost(): string {
  return `unix://${engineSocket()}`;
}

/** Builds the image if needed and starts the engine; resolves once it answers /_ping. */
export async function startEngine(root: string): Promise<ChildProcess> {
  execFileSync("bash", [path.join(root, "scripts", "test-engine.sh")], { cwd: root, stdio: "inherit" });
  const engine = spawn("podman", ["system", "service", "--time=0", dockerHost()], { stdio: "ignore", detached: true });
  fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "podman.pid"), String(engine.pid));
  engine.unref();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(engineSocket())) {
      try {
        execFileSync("curl", ["-sf", "--unix-socket", engineSocket(), "http://d/_ping"], { stdio: "ignore" });
        return engine;
      } catch {
        // not yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`podman did not answer on ${engineSocket()} within 30 s`);
}
