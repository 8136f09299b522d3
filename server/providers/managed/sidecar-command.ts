import fs from "node:fs";
import path from "node:path";

/** Where `npm run build` puts the self-contained sidecar, relative to the standalone server's folder. */
export const BUNDLED_SIDECAR = path.join("operators", "sidecar.mjs");

/**
 * How to start the sidecar on this machine: the bundle the production build ships (one file,
 * no node_modules, quick to start), or in development its TypeScript source through tsx.
 */
export function sidecarCommand(cwd = process.cwd()): { command: string; args: string[] } {
  const bundled = path.join(cwd, BUNDLED_SIDECAR);
  if (fs.existsSync(bundled)) return { command: process.execPath, args: [bundled] };
  const source = path.join(cwd, "operators", "sidecar", "main.ts");
  if (fs.existsSync(source)) return { command: process.execPath, args: ["--import", "tsx", source] };
  throw new Error(`No sidecar to start: neither ${bundled} (npm run build) nor ${source} exists.`);
}
