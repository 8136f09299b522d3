// `npm run check:layers`: the layering rules, checked in CI (scripts/test.sh). The import rules
// are dependency-cruiser's (.dependency-cruiser.cjs); one rule is about code, not imports, and
// is checked here: no service builds an HTTP response (route handlers and server/http/ do).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let failed = false;

try {
  execFileSync(process.execPath, [path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs"), "--config", ".dependency-cruiser.cjs", "app", "server", "operators", "prisma-free-schema", "client"], {
    cwd: root,
    stdio: "inherit",
  });
} catch {
  failed = true;
}

// `new Response(`, `Response.json(`, `Response.redirect(`, `Response.error(`: an HTTP answer.
const BUILDS_RESPONSE = /\bnew Response\(|\bResponse\.(json|redirect|error)\(/;
const services = path.join(root, "server", "services");
const offenders = [];
for (const entry of fs.readdirSync(services, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((line, index) => {
    if (BUILDS_RESPONSE.test(line) && !line.trim().startsWith("//") && !line.trim().startsWith("*")) offenders.push(`${path.relative(root, file)}:${index + 1}`);
  });
}
if (offenders.length > 0) {
  failed = true;
  process.stderr.write(`\n  error services-build-no-responses: a service builds an HTTP response (move it to the route handler or server/http/):\n${offenders.map((at) => `    ${at}`).join("\n")}\n`);
} else {
  process.stdout.write("no service builds an HTTP response\n");
}
process.exit(failed ? 1 : 0);
