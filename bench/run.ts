/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME [NAME…]` runs those. Each runs in
 * a process of its own (this file again, with `--in-process NAME`), so one benchmark's servers,
 * heap and leftover timers never weigh on the next one's numbers, and one that fails does not
 * stop the others. Each prints one JSON object per line: {"bench", "metric", "value", "unit"}.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

process.env.LOG_LEVEL ??= "warn";
const IN_PROCESS = "--in-process";

function available(): string[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith(".bench.ts"))
    .map((file) => file.replace(/\.bench\.ts$/, ""))
    .sort();
}

async function runHere(name: string): Promise<void> {
  const bench = (await import(path.join(__dirname, `${name}.bench.ts`))) as { run(): Promise<void> };
  await bench.run();
}

/** Runs one benchmark in a child process (the same Node, the same tsx loader), its output passed through. */
function runInOwnProcess(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, IN_PROCESS, name], { stdio: "inherit", env: process.env });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once("error", () => resolve(1));
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args[0] === IN_PROCESS) {
    await runHere(args[1]!);
    return 0;
  }
  const names = available();
  const unknown = args.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(", ")}; available: ${names.join(", ")}\n`);
    return 2;
  }
  const failed: string[] = [];
  for (const name of args.length > 0 ? args : names) {
    if ((await runInOwnProcess(name)) !== 0) failed.push(name);
  }
  if (failed.length > 0) process.stderr.write(`benchmarks that failed: ${failed.join(", ")}\n`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
