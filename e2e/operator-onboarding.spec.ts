import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { newWorkspace } from "./fixtures";

/**
 * The whole onboarding of a Local Docker host as an admin lives it: register it, turn on the
 * channel, download the bundle, run the operator from that bundle as a real process, watch the
 * page flip to Registered and back to dropped, then retire the key with a new download.
 */
const running: ChildProcess[] = [];
test.afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Operator {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `npm run operator -- --bundle <compose file>`'s program the way a person would, from the saved bundle. */
function startOperator(composeFile: string): Operator {
  const child = spawn(process.execPath, ["--import", "tsx", "operators/main.ts", "--bundle", composeFile], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Downloads every file the bundle offers into a fresh folder; returns the Compose file's path. */
async function saveBundle(page: Page): Promise<{ composeFile: string; envFile: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bundle-"));
  const links = page.getByRole("link", { name: /^Download discoparrot-operator-/ });
  await expect(links).toHaveCount(2);
  const saved: string[] = [];
  for (const link of await links.all()) {
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = path.join(folder, download.suggestedFilename());
    await download.saveAs(file);
    saved.push(file);
  }
  return { composeFile: saved.find((file) => file.endsWith(".compose.yaml"))!, envFile: saved.find((file) => file.endsWith(".env"))! };
}

const presence = (page: Page) => page.getByRole("region", { name: "Operator", exact: true }).getByRole("status");

test("an admin onboards a Local Docker host: the operator from the bundle registers it, a stop drops it, a new bundle retires the old key", async ({ page }) => {
  test.setTimeout(180_000);
  await newWorkspace(page, "Olive Operator", "olive@operators.test", "Operators");

  await page.getByRole("link", { name: "Register host" }).click();
  await page.getByRole("group", { name: "Kind" }).getByLabel("Local Docker").check();
  await page.getByLabel("Name", { exact: true }).fill("laptop-docker");
  await page.getByRole("group", { name: "Runtime families" }).getByLabel("node", { exact: true }).check();
  await page.getByRole("button", { name: "Register host" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "laptop-docker" })).toBeVisible();
  const hostPage = page.url();
  await expect(presence(page)).toContainText("Awaiting operator");

  // No bundle until an admin turns on the channel; the page says where.
  const download = page.getByRole("button", { name: "Download operator bundle" });
  await expect(download).toBeDisabled();
  await page.getByRole("link", { name: "Settings → General" }).click();
  const channel = page.getByRole("region", { name: "Bring-your-own channel" });
  await channel.getByRole("button", { name: "Turn on the bring-your-own channel" }).click();
  // Wait for the saved state: the section's own text ("Only while it is on…") already contains "On",
  // and leaving the page before the switch is saved would leave the channel off.
  await expect(channel.getByRole("button", { name: "Turn off the bring-your-own channel" })).toBeVisible();

  await page.goto(hostPage);
  await download.click();
  await expect(page.getByRole("heading", { name: "Operator bundle ready" })).toBeVisible();
  await expect(page.getByText("docker compose -f discoparrot-operator-laptop-docker.compose.yaml up -d")).toBeVisible();
  const first = await saveBundle(page);
  expect(fs.readFileSync(first.composeFile, "utf8")).not.toContain("opk_");
  expect(fs.readFileSync(first.envFile, "utf8")).toMatch(/opk_/);

  // The operator dials out with the bundle's settings; the open page flips without a reload.
  const operator = startOperator(first.composeFile);
  await expect(presence(page)).toHaveText(/^Registered:/, { timeout: 30_000 });
  await expect(page.getByText("0.1.0").first()).toBeVisible();

  operator.child.kill("SIGTERM");
  expect(await operator.exited).toBe(0);
  await expect(presence(page)).toContainText("Connection dropped", { timeout: 30_000 });

  // A new bundle retires the old key at once.
  await download.click();
  await page.getByRole("button", { name: "Yes, retire the current key" }).click();
  await expect(page.getByRole("heading", { name: "Operator bundle ready" })).toBeVisible();
  const second = await saveBundle(page);

  const stale = startOperator(first.composeFile);
  expect(await stale.exited).toBe(3);
  expect(stale.output()).toMatch(/install key rejected/i);
  expect(stale.output()).not.toMatch(/opk_[A-Za-z0-9_-]{8,}/);

  const fresh = startOperator(second.composeFile);
  await expect(presence(page)).toHaveText(/^Registered:/, { timeout: 30_000 });
  fresh.child.kill("SIGTERM");
  expect(await fresh.exited).toBe(0);
});
