import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { type FrontDoor, freePort, startFrontDoor, startStandaloneHub, startStandaloneStore } from "../server/testing/shared-services";
import { LocalProcessProvider } from "../server/providers/managed/local-process-provider";
import { sandboxStore } from "../server/store/sandbox-store";
import { openStore } from "../server/store/store";

/**
 * A rolling deploy, as a person watching a run sees it: the store and the hub as processes of
 * their own (npm run store, npm run hub), platform processes of the built server on them behind a
 * load balancer. A serves the run page while a turn streams; B is started and ready; traffic
 * moves to B and A is sent SIGTERM: A is gone within 5 s, and the page goes on with every line
 * once, in order. Then the same for a turn whose process is killed with SIGKILL.
 */
test.describe.configure({ mode: "serial" });

const ROOT = path.resolve(__dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-e2e-deploy-"));
// Managed sandboxes run as users of their own, which pass through this folder to their workspaces.
fs.chmodSync(dataDir, 0o711);
const stopping: (() => Promise<void>)[] = [];
const platforms: ChildProcess[] = [];
let frontDoor: FrontDoor;
let settings: Record<string, string>;

test.beforeAll(async () => {
  frontDoor = await startFrontDoor();
  const hub = await startStandaloneHub(`${frontDoor.url}/api/channel/events`);
  const store = await startStandaloneStore(path.join(dataDir, "store"));
  stopping.push(() => hub.stop(), () => store.stop(), () => frontDoor.stop());
  settings = {
    COSMOS_ENDPOINT: store.endpoint,
    COSMOS_KEY: store.key,
    WEBPUBSUB_CONNECTION_STRING: hub.connectionString,
    AUTH_SECRET: "e2e-rolling-deploy-secret-0123456789abcdef",
    AUTH_LOCAL_ENABLED: "true",
    DATA_DIR: path.join(dataDir, "platform"),
  };
});

test.afterAll(async () => {
  for (const child of platforms) child.kill("SIGKILL");
  // The runs' managed sandboxes outlive the platform by design: removed here, as a platform would.
  const store = await openStore({ store: { mode: "azure", endpoint: settings.COSMOS_ENDPOINT!, key: settings.COSMOS_KEY!, database: "discoparrot" }, dataDir });
  try {
    const provider = new LocalProcessProvider(path.join(settings.DATA_DIR!, "sandboxes"));
    for (const { etag: _etag, ...sandbox } of await sandboxStore(store).listLive()) await provider.destroy(sandbox).catch(() => undefined);
  } finally {
    await store.close();
  }
  for (const stop of stopping) await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A platform process of the built server on the shared store and hub; resolves once /__ready answers. */
async function startPlatform(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const log = fs.openSync(path.join(dataDir, `platform-${port}.log`), "a");
  const child = spawn(process.execPath, ["scripts/start-standalone.mjs"], {
    cwd: ROOT,
    env: { ...process.env, ...settings, PORT: String(port), BIND_ADDRESS: "127.0.0.1", LOG_FORMAT: "json" },
    stdio: ["ignore", log, log],
  });
  platforms.push(child);
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${port}/__ready`).catch(() => undefined))?.status, { timeout: 60_000 })
    .toBe(200);
  return { child, port };
}

async function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number> {
  const signalledAt = Date.now();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
  return Date.now() - signalledAt;
}

/**
 * The lines starting with `word` in the run's whole log, as a person downloads it: the page draws
 * only the lines in view (a long log is virtualised), so the download is where every line is.
 */
async function lines(page: Page, word: string): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("region", { name: "Run log" }).getByRole("button", { name: "Download log" }).click()]);
  const text = fs.readFileSync((await download.path())!, "utf8");
  return text.split("\n").map((line) => line.trim()).filter((line) => line.startsWith(`${word} `));
}

const counting = (word: string, count: number) => `for i in $(seq 1 ${count}); do echo ${word} $i; sleep 0.25; done`;
const expected = (word: string, count: number) => Array.from({ length: count }, (_, i) => `${word} ${i + 1}`);

async function firstPerson(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: frontDoor.url });
  const page = await context.newPage();
  await page.goto("/onboarding");
  await page.getByLabel("Name").fill("Dee Ploy");
  await page.getByLabel("Email").fill("dee@deploy.test");
  await page.getByLabel("Password", { exact: true }).fill("a rolling deploy password");
  await page.getByLabel("Repeat the password").fill("a rolling deploy password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Workspace name").fill("Deploys");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/hosts/);
  return page;
}

test("a turn streams on through a rolling deploy (SIGTERM), then through a crash (SIGKILL), with every line once", async ({ browser }) => {
  test.setTimeout(240_000);
  const a = await startPlatform();
  frontDoor.route([a.port]);
  const page = await firstPerson(browser);

  await page.getByRole("link", { name: "Profiles" }).first().click();
  await page.getByRole("link", { name: "Default" }).first().click();
  await page.getByLabel("First turn").fill(counting("step", 40));
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const first = page.getByRole("region", { name: "Turn 1 output" });
  await expect(first.getByText("step 4", { exact: true })).toBeVisible({ timeout: 30_000 });

  // The next revision starts and is ready; traffic moves to it; the old one is let go mid-turn.
  const b = await startPlatform();
  frontDoor.route([b.port]);
  expect(await stopWith(a.child, "SIGTERM")).toBeLessThan(5_000);
  await expect(first.getByText("step 40", { exact: true })).toBeVisible({ timeout: 45_000 });
  expect(await lines(page, "step")).toEqual(expected("step", 40));

  // A second turn, served by B, which then dies; C takes over.
  await expect(page.getByRole("button", { name: "Send turn" })).toBeEnabled({ timeout: 15_000 });
  const c = await startPlatform();
  await page.getByLabel("Next turn").fill(counting("round", 40));
  await page.getByRole("button", { name: "Send turn" }).click();
  const second = page.getByRole("region", { name: "Turn 2 output" });
  await expect(second.getByText("round 4", { exact: true })).toBeVisible({ timeout: 30_000 });
  frontDoor.route([c.port]);
  await stopWith(b.child, "SIGKILL");
  await expect(second.getByText("round 40", { exact: true })).toBeVisible({ timeout: 60_000 });
  expect(await lines(page, "round")).toEqual(expected("round", 40));
  expect(await lines(page, "step")).toEqual(expected("step", 40));
  await page.context().close();
});
