import fs from "node:fs";
import path from "node:path";

/**
 * Managed sandboxes are processes in their own process groups and, by design, outlive the
 * platform (work keeps running through a restart). The test server is gone for good, so end
 * the sandboxes it started, rather than leave sidecars dialling a hub that will not return.
 */
export default function globalTeardown(): void {
  const root = path.join(process.env.E2E_DATA_DIR!, "sandboxes");
  if (!fs.existsSync(root)) return;
  for (const sandbox of fs.readdirSync(root)) {
    const pidFile = path.join(root, sandbox, "pid");
    if (!fs.existsSync(pidFile)) continue;
    try {
      process.kill(-Number(fs.readFileSync(pidFile, "utf8")), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
