import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expectAccessible } from "./a11y-fixtures";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { inviteMember, newWorkspace, passwordOf } from "./fixtures";
import { callProcedure, downloadBundle, registerHostByApi } from "./operator-fixtures";
import { dockerHost } from "./test-engine";

/**
 * Links that always work (issue 14 item 3) and launch failures in words: a run link from another
 * of your workspaces opens (and says it switched), while someone outside that workspace gets the
 * plain "not found"; signing in from a deep link lands on it; an unknown address is a branded page
 * with a way home and a request id; a run whose Docker image is missing says so on its page.
 */
test.describe.configure({ mode: "serial" });

const OWNER = { name: "Lina Links", email: "lina@links.test" };
let runUrl = "";

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function startManagedRun(page: Page, input: string): Promise<string> {
  await page.getByRole("link", { name: "Profiles" }).first().click();
  await page.getByRole("link", { name: "Default" }).first().click();
  await page.getByLabel("First turn").fill(input);
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_[a-z0-9]{20}$/);
  return page.url();
}

test("a member of two workspaces opens a run link of the other one; someone outside it gets not-found", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await newWorkspace(page, OWNER.name, OWNER.email, "Links Alpha");
  runUrl = await startManagedRun(page, "echo opened from a link");
  await expect(page.getByText("echo opened from a link").first()).toBeVisible();
  const invite = await inviteMember(page, "mo@links.test", []);

  // Mo has a workspace of his own, joins Alpha, and goes back to his own.
  const mo = await freshPage(browser);
  await newWorkspace(mo, "Mo Member", "mo@links.test", "Mo's own");
  await mo.goto(invite);
  await mo.getByRole("button", { name: "Join as mo@links.test" }).click();
  await mo.waitForURL((url) => url.pathname === "/hosts");
  const switcher = mo.getByLabel("Workspace", { exact: true });
  await switcher.selectOption({ label: "Mo's own" });
  await expect(mo.getByRole("option", { name: "Mo's own", selected: true })).toBeAttached();

  await mo.goto(runUrl);
  await expect(mo.getByRole("status").filter({ hasText: "Switched to workspace Links Alpha" })).toBeVisible();
  await expect(mo.getByText("echo opened from a link").first()).toBeVisible();
  await expect(mo.getByRole("option", { name: "Links Alpha", selected: true })).toBeAttached();
  await expectAccessible(mo, "run opened from another workspace");
  // The switch is remembered: the next page is in Alpha too, without a note.
  await mo.goto("/runs");
  await expect(mo.getByRole("option", { name: "Links Alpha", selected: true })).toBeAttached();
  await expect(mo.getByText(/Switched to workspace/)).toHaveCount(0);

  // Nia is in no workspace with the run: the same "not found" as a made-up id, and no hint of Alpha.
  const nia = await freshPage(browser);
  await newWorkspace(nia, "Nia Outside", "nia@links.test", "Nia's own");
  await nia.goto(runUrl);
  await expect(nia.getByRole("heading", { name: "Run not found" })).toBeVisible();
  await expect(nia.getByText(/Switched to workspace/)).toHaveCount(0);
  await expect(nia.getByText("Links Alpha")).toHaveCount(0);
  await expect(nia.getByText("echo opened from a link")).toHaveCount(0);
  await nia.goto(runUrl.replace(/run_[a-z0-9]{20}$/, "run_aaaaaaaaaaaaaaaaaaaa"));
  await expect(nia.getByRole("heading", { name: "Run not found" })).toBeVisible();
});

test("signing in from a deep link returns to it, query string and all", async ({ browser }) => {
  const page = await freshPage(browser);
  const target = `${new URL(runUrl).pathname}?from=mail`;
  await page.goto(target);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(passwordOf(OWNER.email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname === new URL(runUrl).pathname);
  expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(target);
  await expect(page.getByText("echo opened from a link").first()).toBeVisible();

  // Somewhere else than this site is never where sign-in goes.
  const away = await freshPage(browser);
  await away.goto(`/signin?callbackUrl=${encodeURIComponent("//evil.example/runs")}`);
  await away.getByLabel("Email").fill(OWNER.email);
  await away.getByLabel("Password", { exact: true }).fill(passwordOf(OWNER.email));
  await away.getByRole("button", { name: "Sign in", exact: true }).click();
  await away.waitForURL((url) => !url.pathname.startsWith("/signin"));
  expect(new URL(away.url()).origin).toBe(new URL(runUrl).origin);
});

test("an unknown address is a branded page with a way home and the request id, inside the shell when signed in", async ({ page, browser }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(passwordOf(OWNER.email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  const requestId = response!.headers()["x-request-id"];
  expect(requestId).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByText(`Request id: ${requestId}`)).toBeVisible();
  // Support finds the server's line by the id the person quotes.
  const serverLog = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8");
  expect(serverLog.split("\n").some((line) => line.includes(`"requestId":"${requestId}"`) && line.includes("page.not_found"))).toBe(true);
  // Inside the shell: the navigation and the workspace are there.
  await expect(page.getByRole("link", { name: "Runs" }).first()).toBeVisible();
  await expect(page.getByLabel("Workspace", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Go home" }).click();
  await expect(page).toHaveURL(/\/hosts$/);

  const stranger = await freshPage(browser);
  const signedOut = await stranger.goto("/no-such-page/deeper?x=1");
  expect(signedOut?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(stranger.getByText(`Request id: ${signedOut!.headers()["x-request-id"]}`)).toBeVisible();
  await expect(stranger.getByRole("link", { name: "Go home" })).toBeVisible();
  await expect(stranger.getByLabel("Workspace", { exact: true })).toHaveCount(0);

  // An id a client makes up is replaced: nobody can plant log lines under an id a person quoted to support.
  const forged = await stranger.request.get("/no-such-page", { headers: { "x-request-id": requestId! } });
  expect(forged.headers()["x-request-id"]).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  expect(forged.headers()["x-request-id"]).not.toBe(requestId);
});

let operator: ChildProcess | undefined;
test.afterAll(() => {
  if (operator && operator.exitCode === null) operator.kill("SIGTERM");
});

test("a run whose Docker image is not on the host says so on its page, naming the image", async ({ page }) => {
  test.setTimeout(180_000);
  const workspaceId = await newWorkspace(page, "Ida Image", "ida@links.test", "Image team");
  await callProcedure(page.request, "workspaces.setByoChannel", { workspaceId, enabled: true });
  const { id: hostId } = await registerHostByApi(page.request, workspaceId, { name: "ida-laptop", kind: "docker" });
  const host = await callProcedure<{ revision: string }>(page.request, "hosts.get", { workspaceId, hostId }, "query");
  // The sandboxes would reach a platform that listens on loopback: the host network.
  await callProcedure(page.request, "hosts.updateDockerSettings", { workspaceId, hostId, revision: host.revision, settings: { network: "host", warmPools: [] } });
  const bundle = await downloadBundle(page.request, workspaceId, hostId);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-links-bundle-"));
  let composeFile = "";
  for (const file of bundle.files) {
    fs.writeFileSync(path.join(folder, file.filename), file.content, { mode: 0o600 });
    if (file.filename.endsWith(".compose.yaml")) composeFile = path.join(folder, file.filename);
  }
  let output = "";
  operator = spawn(process.execPath, ["--import", "tsx", "operators/docker/main.ts", "--bundle", composeFile], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, DOCKER_HOST: dockerHost() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  operator.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  operator.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  operator.once("exit", () => fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "links-docker-operator.log"), output));
  try {
    await expect
      .poll(async () => (await callProcedure<{ status: string }>(page.request, "hosts.get", { workspaceId, hostId }, "query")).status, { timeout: 30_000 })
      .toBe("registered");

    const profile = await callProcedure<{ id: string }>(page.request, "profiles.create", {
      workspaceId,
      name: "Missing image",
      hostChoice: { kind: "host", hostId },
      template: "shell",
      image: "localhost/discoparrot/not-on-this-host",
      tag: "1.2",
      resourceClass: "small",
      runtimeFamilies: ["node"],
      workloadIdentity: null,
      persistentWorkspace: false,
    });
    await page.goto(`/profiles/${profile.id}`);
    await page.getByLabel("First turn").fill("echo never runs");
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/runs\/run_/);
    await expect(page.getByText(/The image localhost\/discoparrot\/not-on-this-host:1\.2 is not on the host \(the operator does not pull images by itself\)\. Pull or load it on the host/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText("The sandbox could not be started")).toHaveCount(0);
    // Still there after a reload: it is the run's stored failure, not a passing message.
    await page.reload();
    await expect(page.getByText(/The image localhost\/discoparrot\/not-on-this-host:1\.2 is not on the host/)).toBeVisible();
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
