import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium } from "@playwright/test";
import { findBox } from "../server/providers/managed/sandbox-box";
import { freePort } from "../server/testing/shared-services";

const ROOT = path.resolve(__dirname, "..");
/** As playwright.config.ts launches it. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface StandalonePlatform {
  base: string;
  dataDir: string;
  /** Stops the server, the managed sandboxes it left (they outlive a platform by design) and removes its data. */
  stop(): Promise<void>;
}

/** The production build (`npm run build` first) on a free loopback port, with a fresh data folder; its log in that folder. */
export async function startStandalonePlatform(name: string, env: Record<string, string> = {}): Promise<StandalonePlatform> {
  if (!fs.existsSync(path.join(ROOT, ".next", "standalone", "server.js"))) throw new Error("no production build: run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `dp-bench-${name}-`));
  const port = await freePort();
  const log = fs.openSync(path.join(dataDir, "server.log"), "a");
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "start-standalone.mjs")], {
    cwd: ROOT,
    stdio: ["ignore", log, log],
    env: { ...process.env, PORT: String(port), BIND_ADDRESS: "127.0.0.1", DATA_DIR: dataDir, LOG_FORMAT: "json", LOG_LEVEL: "warn", ...env },
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    stopManagedSandboxes(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ready(server, base, dataDir);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, dataDir, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

async function ready(server: ChildProcess, base: string, dataDir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server stopped (see ${dataDir}/server.log)`);
    if (await fetch(`${base}/__ready`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the server did not become ready in 60 s");
}

function stopManagedSandboxes(dataDir: string): void {
  const sandboxes = path.join(dataDir, "sandboxes");
  if (!fs.existsSync(sandboxes)) return;
  for (const sandbox of fs.readdirSync(sandboxes)) findBox(path.join(sandboxes, sandbox, "box.json"))?.kill();
}
