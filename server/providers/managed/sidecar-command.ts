import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Where `npm run build` puts the self-contained sidecar, relative to the repository and to the standalone server's folder. */
export const BUNDLED_SIDECAR = path.join("dist", "sidecar.cjs");

/**
 * The one file a managed sandbox runs: the bundle the production build ships, or in development
 * and tests a bundle made here from the TypeScript source (`PREFER_SIDECAR_SOURCE=1` forces that
 * even when a shipped bundle exists, to test changes). A single file is what lets the boundary
 * mount the sidecar alone, read-only, instead of the platform's source tree and node_modules.
 */
export async function sidecarBundle(cwd = process.cwd()): Promise<string> {
  const shipped = path.join(cwd, BUNDLED_SIDECAR);
  if (fs.existsSync(shipped) && process.env.PREFER_SIDECAR_SOURCE !== "1") return shipped;
  const source = path.join(cwd, "operators", "sidecar", "main.ts");
  if (!fs.existsSync(source)) throw new Error(`No sidecar to start: neither ${shipped} (npm run build) nor ${source} exists.`);
  return bundleFromSource(cwd, source);
}

async function bundleFromSource(cwd: string, source: string): Promise<string> {
  // esbuild is a development dependency: production ships dist/sidecar.cjs and never gets here.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [source],
    write: false,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    tsconfig: path.join(cwd, "tsconfig.json"),
    external: ["bufferutil", "utf-8-validate"],
    logLevel: "warning",
  });
  const code = result.outputFiles[0]!.contents;
  // Named by content: concurrent test files and a changed source never share a half-written file.
  const outfile = path.join(cwd, "node_modules", ".cache", "disco-parrot", `sidecar-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.cjs`);
  if (!fs.existsSync(outfile)) {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(`${outfile}.${process.pid}`, code);
    fs.renameSync(`${outfile}.${process.pid}`, outfile);
  }
  return outfile;
}
