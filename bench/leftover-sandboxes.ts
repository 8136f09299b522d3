import fs from "node:fs";
import path from "node:path";
import { findBox } from "../server/providers/managed/sandbox-box";

/**
 * Managed sandboxes outlive the platform by design (a restart must not kill a run); a benchmark's
 * platform is gone for good once it stops, so its sandboxes are stopped with it, or they would
 * weigh on every later benchmark's numbers.
 */
export function stopManagedSandboxes(dataDir: string): void {
  const sandboxes = path.join(dataDir, "sandboxes");
  if (!fs.existsSync(sandboxes)) return;
  for (const sandbox of fs.readdirSync(sandboxes)) findBox(path.join(sandboxes, sandbox, "box.json"))?.kill();
}
