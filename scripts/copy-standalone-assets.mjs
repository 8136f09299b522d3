// The standalone output holds the server and its traced node_modules but, by design, not the
// static assets (nor the bundled sidecar): copy them beside it so `npm start` and the image serve a complete app.
// https://nextjs.org/docs/app/api-reference/config/next-config-js/output#automatically-copying-traced-files
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const standalone = path.join(root, ".next", "standalone");
fs.cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });
fs.cpSync(path.join(root, ".next", "static"), path.join(standalone, ".next", "static"), { recursive: true });
// The sidecar managed sandboxes run and the embedded stand-ins' threads (scripts/build-bundles.mjs), where the server looks for them.
for (const bundle of ["sidecar.cjs", "embedded-cosmos.cjs", "embedded-hub.cjs"]) fs.cpSync(path.join(root, "dist", bundle), path.join(standalone, "dist", bundle));
