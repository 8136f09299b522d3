/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME` runs one. Each prints one JSON
 * object per line: {"bench", "metric", "value", "unit"}.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

process.env.LOG_LEVEL ??= "warn";

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
  const available = readdirSync(__dirname)
    .filter((file) => file.endsWith(".bench.ts"))
    .map((file) => file.replace(/\.bench\.ts$/, ""))
    .sort();
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(", ")}; available: ${available.join(", ")}\n`);
    process.exit(2);
  }
  for (const name of wanted.length > 0 ? wanted : available) {
    const bench = (await import(path.join(__dirname, `${name}.bench.ts`))) as { run(): Promise<void> };
    await bench.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
