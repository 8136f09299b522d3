import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Where `npm run build` puts the self-contained sidecar, relative to the repository and to the standalone server's folder. */
export const BUNDLED_SIDECAR = path.join("dist", "sidecar.cjs");

/**
 * How to start the sidecar on this machine: the bundle the production build ships (one file,
 * no node_modules, quick to start), or in development and tests its TypeScript source through
 * tsx. `PREFER_SIDECAR_SOURCE=1` picks the source even when a bundle exists (tests of changes).
 */
export function sidecarCommand(cwd = process.cwd()): { command: string; args: string[]; env: Record<string, string> } {
  const bundled = path.join(cwd, BUNDLED_SIDECAR);
  if (fs.existsSync(bundled) && process.env.PREFER_SIDECAR_SOURCE !== "1") return { command: process.execPath, args: [bundled], env: {} };
  const source = path.join(cwd, "operators", "sidecar", "main.ts");
  // By path: the sidecar runs in its workspace folder, where `--import tsx` would not resolve.
  const tsx = path.join(cwd, "node_modules", "tsx", "dist", "loader.mjs");
  if (fs.existsSync(source) && fs.existsSync(tsx)) {
    // tsx looks for tsconfig.json (and its `@/` paths) from the working directory, which is the sandbox's.
    return { command: process.execPath, args: ["--import", pathToFileURL(tsx).href, source], env: { TSX_TSCONFIG_PATH: path.join(cwd, "tsconfig.json") } };
  }
  throw new Error(`No sidecar to start: neither ${bundled} (npm run build) nor ${source} exists.`);
}
