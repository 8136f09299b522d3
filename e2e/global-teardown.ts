import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findBox } from "../server/providers/managed/sandbox-box";

/**
 * Managed sandboxes run in PID namespaces of their own and, by design, outlive the platform
 * (work keeps running through a restart). The test server is gone for good, so end the
 * sandboxes it started (killing a namespace's first process ends all of it), rather than leave
 * sidecars dialling a hub that will not return.
 */
export default function globalTeardown(): void {
  stopEngine();
  const root = path.join(process.env.E2E_DATA_DIR!, "sandboxes");
  if (!fs.existsSync(root)) return;
  for (const sandbox of fs.readdirSync(root)) findBox(path.join(root, sandbox, "box.json"))?.kill();
}

/** The podman service global-setup started, and the containers it ran for this test run. */
function stopEngine(): void {
  const pidFile = path.join(process.env.E2E_DATA_DIR!, "podman.pid");
  if (!fs.existsSync(pidFile)) return;
  try {
    const ours = execFileSync("podman", ["ps", "--all", "--quiet", "--filter", "label=io.discoparrot.managed-by=discoparrot"], { encoding: "utf8", timeout: 30_000 })
      .split("\n")
      .filter(Boolean);
    if (ours.length > 0) execFileSync("podman", ["rm", "--force", "--time", "1", ...ours], { stdio: "ignore", timeout: 60_000 });
  } catch {
    // Nothing to remove, or the engine is already gone.
  }
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGTERM");
  } catch {
    // Already gone.
  }
}
