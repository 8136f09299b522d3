import { expectAccessible } from "./a11y-fixtures";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { newWorkspace, signInLocally } from "./fixtures";
import { callProcedure, registerHostByApi } from "./operator-fixtures";
import { dockerHost, SANDBOX_IMAGE } from "./test-engine";

/**
 * The host page as an admin reads it: status and operator beside the settings on a wide screen,
 * one column on a phone; health facts in words; the profiles that use the host, linked; a warning
 * with how to set PUBLIC_URL when bundles would name a loopback address (this server listens on
 * 127.0.0.1); bundle comments that say how long the key lives; a rename confirmed by a toast; and
 * the bring-your-own channel's off switch naming the operator it would cut off.
 */
test.describe.configure({ mode: "serial" });

const admin = { name: "Hollis Host", email: "hollis@hostpage.test" };
let workspaceId = "";
let hostId = "";
let profileId = "";
let operator: ChildProcess | undefined;

test.afterAll(() => {
  if (operator && operator.exitCode === null) operator.kill("SIGTERM");
});

const statusColumn = (page: Page) => page.getByTestId("host-status-column");
const settingsColumn = (page: Page) => page.getByTestId("host-settings-column");
const presence = (page: Page) => page.getByRole("region", { name: "Operator", exact: true }).getByRole("status");
const toasts = (page: Page) => page.getByRole("status", { name: "Notifications" });

test("the host page has status beside settings at 1440 px and one column without sideways scrolling at 390 px", async ({ page }) => {
  workspaceId = await newWorkspace(page, admin.name, admin.email, "Host page team");
  await callProcedure(page.request, "workspaces.setByoChannel", { workspaceId, enabled: true });
  const host = await registerHostByApi(page.request, workspaceId, { name: "hollis-laptop", kind: "docker" });
  hostId = host.id;
  // The host network, as e2e/docker-host.spec.ts has it: this platform listens on loopback.
  const registered = await callProcedure<{ revision: string }>(page.request, "hosts.get", { workspaceId, hostId }, "query");
  await callProcedure(page.request, "hosts.updateDockerSettings", { workspaceId, hostId, revision: registered.revision, settings: { network: "host", warmPools: [] } });
  const profile = await callProcedure<{ id: string }>(page.request, "profiles.create", {
    workspaceId,
    name: "Pinned builds",
    hostChoice: { kind: "host", hostId },
    template: "shell",
    image: SANDBOX_IMAGE.image,
    tag: SANDBOX_IMAGE.tag,
    resourceClass: "small",
    runtimeFamilies: ["node"],
    workloadIdentity: null,
    persistentWorkspace: false,
  });
  profileId = profile.id;

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/hosts/${hostId}`);
  await expect(page.getByRole("heading", { level: 1, name: "hollis-laptop" })).toBeVisible();
  const status = (await statusColumn(page).boundingBox())!;
  const settings = (await settingsColumn(page).boundingBox())!;
  // Side by side: the same top, status on the left, not overlapping, each a fair share of the width.
  expect(Math.abs(status.y - settings.y)).toBeLessThan(2);
  expect(status.x + status.width).toBeLessThanOrEqual(settings.x);
  expect(status.width).toBeGreaterThan(400);
  expect(settings.width).toBeGreaterThan(400);
  await expect(statusColumn(page).getByRole("region", { name: "Operator", exact: true })).toBeVisible();
  await expect(settingsColumn(page).getByRole("region", { name: "Docker settings" })).toBeVisible();
  await expectAccessible(page, "host page");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(async () => {
    const narrowStatus = (await statusColumn(page).boundingBox())!;
    const narrowSettings = (await settingsColumn(page).boundingBox())!;
    // Stacked: settings start below the status column, both the same width.
    expect(narrowSettings.y).toBeGreaterThanOrEqual(narrowStatus.y + narrowStatus.height);
    expect(Math.abs(narrowSettings.width - narrowStatus.width)).toBeLessThan(2);
  }).toPass();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, "host page");
});

test("the profile using the host is listed and its link opens it", async ({ page }) => {
  await signIn(page);
  await page.goto(`/hosts/${hostId}`);
  const profiles = page.getByRole("region", { name: "Profiles on this host" });
  await expect(profiles.getByText("Set to this host", { exact: true })).toBeVisible();
  await profiles.getByRole("link", { name: "Pinned builds" }).click();
  await expect(page).toHaveURL(new RegExp(`/profiles/${profileId}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Pinned builds" })).toBeVisible();
});

test("a loopback address is warned about before and after the download, with how to set PUBLIC_URL, and the bundle says how long its key lives", async ({ page }) => {
  await signIn(page);
  await page.goto(`/hosts/${hostId}`);
  const warning = page.getByTestId("bundle-address-warning");
  await expect(warning).toContainText("Operators elsewhere cannot reach this address");
  await expect(warning).toContainText(/A bundle downloaded now tells the operator to dial http:\/\/127\.0\.0\.1:\d+, a loopback address/);
  await expect(warning).toContainText("PUBLIC_URL=https://parrot.example.com");

  await page.getByRole("button", { name: "Download operator bundle" }).click();
  await expect(page.getByRole("heading", { name: "Operator bundle ready" })).toBeVisible();
  await expect(toasts(page)).toContainText("Operator bundle ready");
  await expect(warning).toContainText(/This bundle tells the operator to dial http:\/\/127\.0\.0\.1:\d+, a loopback address/);
  await expect(warning).toContainText("Set PUBLIC_URL");

  const { composeFile, envFile } = await saveBundle(page);
  const compose = fs.readFileSync(composeFile, "utf8");
  const env = fs.readFileSync(envFile, "utf8");
  for (const text of [compose, env]) {
    const comments = text.split("\n").filter((line) => line.startsWith("#")).map((line) => line.replace(/^#\s?/, "")).join(" ");
    expect(comments).toContain("exchanges the install key with the platform for a short-lived channel token, which lasts about an hour");
    expect(comments).toContain("exchanges it again before each token runs out");
    expect(comments).toContain("Downloading a new bundle for this host retires this key at once");
    expect(comments).not.toMatch(/single-use/i);
  }
  expect(compose).toMatch(/WARNING: this bundle tells the operator to dial http:\/\/127\.0\.0\.1:\d+, a loopback address/);

  // Run the Docker operator from this bundle, on the run's engine, for the facts, the warm pool and the channel's off switch below.
  operator = spawn(process.execPath, ["--import", "tsx", "operators/docker/main.ts", "--bundle", composeFile], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, DOCKER_HOST: dockerHost() },
    stdio: ["ignore", "ignore", "ignore"],
  });
  await expect(presence(page)).toHaveText(/^Registered:/, { timeout: 30_000 });
  fs.rmSync(path.dirname(envFile), { recursive: true, force: true });
});

test("health facts read as words, never as the operator's keys", async ({ page }) => {
  await signIn(page);
  await page.goto(`/hosts/${hostId}`);
  const facts = page.getByRole("list", { name: "Health facts" });
  await expect(facts.getByText("Operator uptime")).toBeVisible({ timeout: 30_000 });
  await expect(facts).toContainText(/The operator runs on Node\.js \d+\.\d+/);
  await expect(facts).toContainText(/The operator has been running for \d+ (min|h)/);
  await expect(facts).toContainText(/The operator reaches Docker engine \S+\./);
  await expect(facts).toContainText("Sandbox containers join the Docker network host.");
  const text = (await facts.innerText()).replace(/Node\.js/g, "");
  // No key such as nodeVersion or uptimeSeconds: no word with a capital inside it.
  expect(text).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b/);
  for (const key of ["nodeVersion", "uptimeSeconds", "hostname", "arch"]) expect(text).not.toContain(key);
});

test("a warm pool set on the host shows beside its profile, with how many warm containers are ready as the operator fills it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto(`/hosts/${hostId}`);
  await page.getByLabel("Warm containers for Pinned builds").fill("1");
  await page.getByRole("button", { name: "Save Docker settings" }).click();
  await expect(toasts(page)).toContainText("Docker settings saved");
  const pool = page.getByRole("region", { name: "Profiles on this host" }).getByTestId("warm-pool-count");
  // The page polls: the count climbs to what is wanted without a reload.
  await expect(pool).toHaveText("1 of 1 warm container ready", { timeout: 60_000 });
  // The count is the operator's last check-in's, and the page says how old that is.
  await expect(page.getByTestId("warm-counts-as-of")).toContainText(/Ready counts as the operator last reported them, (just now|\d+ seconds? ago)\./);

  // Drained again, so the engine is left as it was found.
  await page.getByLabel("Warm containers for Pinned builds").fill("0");
  await page.getByRole("button", { name: "Save Docker settings" }).click();
  await expect(page.getByRole("region", { name: "Profiles on this host" }).getByText("No warm pool")).toBeVisible();
});

test("turning off the bring-your-own channel names the connected operator, and cancel keeps it on", async ({ page }) => {
  await signIn(page);
  await page.goto("/settings");
  const channel = page.getByRole("region", { name: "Bring-your-own channel" });
  const turnOff = channel.getByRole("button", { name: "Turn off the bring-your-own channel" });
  await turnOff.click();
  const dialog = page.getByRole("dialog", { name: "Turn off the bring-your-own channel?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("list", { name: "Operators that will be cut off" })).toHaveText("hollis-laptop");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(turnOff).toBeFocused();
  await page.reload();
  await expect(channel.getByRole("button", { name: "Turn off the bring-your-own channel" })).toBeVisible();
  await page.goto(`/hosts/${hostId}`);
  await expect(presence(page)).toHaveText(/^Registered:/);
});

test("renaming the host moves focus into the field, confirms with a toast, and returns focus to Rename", async ({ page }) => {
  await signIn(page);
  await page.goto(`/hosts/${hostId}`);
  const name = page.getByRole("region", { name: "Name", exact: true });
  await name.getByRole("button", { name: "Rename" }).click();
  const field = name.getByLabel("Host name");
  await expect(field).toBeFocused();
  await field.fill("hollis-desk");
  await name.getByRole("button", { name: "Save name" }).click();
  await expect(toasts(page)).toContainText("Host renamed to hollis-desk");
  await expect(page.getByRole("heading", { level: 1, name: "hollis-desk" })).toBeVisible();
  await expect(name.getByRole("button", { name: "Rename" })).toBeFocused();
  // The running operator keeps its connection: it dials by the host's id.
  await expect(presence(page)).toHaveText(/^Registered:/);
});

/** Signs the admin in again: each test has a fresh browser context. */
async function signIn(page: Page) {
  await signInLocally(page, admin.name, admin.email);
}

/** Downloads every file the bundle offers into a fresh folder. */
async function saveBundle(page: Page): Promise<{ composeFile: string; envFile: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-host-page-bundle-"));
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
