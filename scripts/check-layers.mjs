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
// Browser code carries only the schemas it uses. The schema index re-exports every module, and
// each module builds its zod schemas when loaded, so one value import of the index from a client
// module puts zod and all of them on every page (tens of ms of script before the page is usable).
// Client modules import the vocabulary (no zod) or the one schema file they need; `import type`
// from the index is erased and fine.
const schemaOffenders = [...clientModules()].flatMap((file) =>
  valueImports(file)
    .filter((specifier) => specifier === "@/prisma-free-schema")
    .map(() => `    ${path.relative(root, file)} imports @/prisma-free-schema (import from @/prisma-free-schema/vocabulary or the schema's own file)`),
);
const vocabulary = path.join(root, "prisma-free-schema", "vocabulary");
for (const name of fs.readdirSync(vocabulary)) {
  const file = path.join(vocabulary, name);
  for (const specifier of valueImports(file)) {
    if (!specifier.startsWith("./")) schemaOffenders.push(`    ${path.relative(root, file)} imports ${specifier} (the vocabulary imports nothing but types and itself)`);
  }
}
if (schemaOffenders.length > 0) {
  failed = true;
  process.stderr.write(`\n  error client-schema-imports: browser code would load every schema:\n${schemaOffenders.join("\n")}\n`);
} else {
  process.stdout.write("browser code imports no schema it does not use\n");
}

process.exit(failed ? 1 : 0);

/** The specifiers a module imports or re-exports at run time (type-only imports left out). */
function valueImports(file) {
  const source = fs.readFileSync(file, "utf8");
  const specifiers = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)"/gms)) {
    const [, typeOnly, clause, specifier] = match;
    if (typeOnly) continue;
    const named = /^\{([^}]*)\}$/s.exec(clause.trim());
    if (named && named[1].split(",").map((name) => name.trim()).filter(Boolean).every((name) => name.startsWith("type "))) continue;
    specifiers.push(specifier);
  }
  for (const match of source.matchAll(/^\s*import\s+"([^"]+)"/gm)) specifiers.push(match[1]);
  return specifiers;
}

/** Every module of ours a "use client" module under app/ reaches: what ends up in the browser. */
function clientModules() {
  const pending = [];
  for (const entry of fs.readdirSync(path.join(root, "app"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (/^\s*["']use client["']/.test(fs.readFileSync(file, "utf8"))) pending.push(file);
  }
  const seen = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      const resolved = resolveModule(specifier, file);
      if (resolved && !seen.has(resolved)) pending.push(resolved);
    }
  }
  return seen;
}

function resolveModule(specifier, from) {
  let base;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const suffix of [".ts", ".tsx", "/index.ts", "/index.tsx", ""]) {
    if (fs.existsSync(base + suffix) && fs.statSync(base + suffix).isFile()) return base + suffix;
  }
  return null;
}
