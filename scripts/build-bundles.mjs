// Bundles the programs that run outside Next.js's server bundle, each into one CommonJS file
// with its dependencies: no node_modules and no TypeScript at start.
//  - `dist/sidecar.cjs`, the program managed sandboxes run (a sandbox is ready sooner);
//  - `dist/embedded-cosmos.cjs` and `dist/embedded-hub.cjs`, the embedded stand-ins' threads
//    (server/threads/embedded-thread.ts).
// `npm run build` runs this and copies both beside the standalone server.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundles = [
  { entry: ["operators", "sidecar", "main.ts"], out: "sidecar.cjs" },
  { entry: ["server", "store", "embedded", "embedded-cosmos-thread.ts"], out: "embedded-cosmos.cjs" },
  { entry: ["server", "channel", "embedded", "embedded-hub-thread.ts"], out: "embedded-hub.cjs" },
];
await Promise.all(
  bundles.map(({ entry, out }) =>
    build({
      entryPoints: [path.join(root, ...entry)],
      outfile: path.join(root, "dist", out),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      tsconfig: path.join(root, "tsconfig.json"),
      // ws's optional native speed-ups: it falls back to JavaScript without them.
      external: ["bufferutil", "utf-8-validate"],
      logLevel: "warning",
    }),
  ),
);
process.stdout.write(`bundled: ${bundles.map(({ out }) => `dist/${out}`).join(", ")}\n`);
