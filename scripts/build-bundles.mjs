// Bundles the sidecar into one CommonJS file with its dependencies (`dist/sidecar.cjs`), the
// program managed sandboxes run: no node_modules and no TypeScript at start, so a sandbox is
// ready sooner. `npm run build` runs this and copies the file beside the standalone server.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [path.join(root, "operators", "sidecar", "main.ts")],
  outfile: path.join(root, "dist", "sidecar.cjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  tsconfig: path.join(root, "tsconfig.json"),
  // ws's optional native speed-ups: it falls back to JavaScript without them.
  external: ["bufferutil", "utf-8-validate"],
  logLevel: "warning",
});
process.stdout.write("sidecar bundled: dist/sidecar.cjs\n");
