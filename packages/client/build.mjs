/**
 * Builds @discoparrot/client into dist/: the JavaScript (ESM and CommonJS, by esbuild) and one
 * self-contained declaration file with the platform's router types in it.
 *
 * Declarations: rollup-plugin-dts, because it bundles declarations *through* our own source (it
 * emits the server's router files with the repository's tsconfig, `@/` paths included) into one
 * file, keeping the external packages the client really depends on (@trpc/*) as imports. Its
 * output of the router is already fully expanded (every input and output a plain object type).
 * tsup's dts runs this same plugin with fewer options; dts-bundle-generator bundles the same
 * declarations and offers no way to drop a type from them. What the routers' types still name is the server's
 * request context (`Context`: the store, the actor), which drags in @azure/cosmos and zod; a
 * client never sees it, so a second pass makes it `object` and lets the bundler drop what only
 * it needed. The build then refuses a declaration file that imports anything else.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");
const entry = path.join(here, "src/index.ts");
const EXTERNAL = ["@trpc/client", "@trpc/server", "eventsource"];
const isExternal = (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`));

fs.rmSync(dist, { recursive: true, force: true });

for (const [format, file] of [["esm", "index.js"], ["cjs", "index.cjs"]]) {
  await build({ entryPoints: [entry], bundle: true, platform: "node", target: "node20", format, outfile: path.join(dist, file), external: EXTERNAL, logLevel: "warning" });
}

// Pass 1: every declaration the entry reaches, through the server's source.
const first = await rollup({
  input: entry,
  external: isExternal,
  plugins: [dts({ tsconfig: path.join(here, "../../tsconfig.json"), compilerOptions: { noEmit: false, incremental: false, plugins: [] } })],
  onwarn: () => undefined,
});
const [{ code: withContext }] = (await first.generate({ format: "es" })).output;
await first.close();

const CONTEXT = /^interface Context \{$[\s\S]*?^\}$/m;
if ((withContext.match(new RegExp(CONTEXT.source, "gm")) ?? []).length !== 1) throw new Error("build: expected exactly one `interface Context` in the router's declarations");
const clientSide = withContext.replace(CONTEXT, "/** The platform's request context: a client never handles it. */\ntype Context = object;");

// Pass 2: the same declarations, with what only the context needed dropped.
const passOne = path.join(dist, "pass-one.d.ts");
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(passOne, clientSide);
const second = await rollup({ input: passOne, external: isExternal, plugins: [dts()] });
const [{ code: declarations }] = (await second.generate({ format: "es" })).output;
await second.close();
fs.rmSync(passOne);

const imported = [...declarations.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
const leaked = imported.filter((id) => !isExternal(id));
if (leaked.length > 0 || /import\(/.test(declarations)) throw new Error(`build: the declarations import what the package does not ship: ${leaked.join(", ") || "an import() type"}`);

fs.writeFileSync(path.join(dist, "index.d.ts"), declarations);
// The same declarations for `require`: TypeScript reads a .d.ts beside an ESM package as ESM.
fs.writeFileSync(path.join(dist, "index.d.cts"), declarations);
console.log(`@discoparrot/client: dist/ built (declarations ${Math.round(declarations.length / 1024)} KB, importing ${[...new Set(imported)].join(", ")})`);
