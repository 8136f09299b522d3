import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { newWorkspace } from "./fixtures";
import { callProcedure } from "./operator-fixtures";
import { dockerHost, SANDBOX_IMAGE } from "./test-engine";

/**
 * A Local Docker host end to end, on a real container engine (podman's Docker API): the admin
 * registers it, runs the Docker operator from the downloaded Compose bundle, sees it Registered,
 * makes it their default Docker host, and watches a run on a "My default Docker host" profile
 * stream its output from a container on that engine.
 */
let operator: ChildProcess | undefined;
test.afterAll(() => {
  if (operator && operator.exitCode === null) operator.kill("SIGTERM");
});

test("a run on a person's default Docker host streams live from a container the operator made", async ({ page }) => {
  test.setTimeout(180_000);
  const workspaceId = await newWorkspace(page, "Dora Docker", "dora@docker.test", "Docker team");
  await callProcedure(page.request, "workspaces.setByoChannel", { workspaceId, enabled: true });

  await page.getByRole("link", { name: "Register host" }).click();
  await page.getByRole("group", { name: "Kind" }).getByLabel("Local Docker").check();
  await page.getByLabel("Name", { exact: true }).fill("dora-laptop");
  await page.getByRole("group", { name: "Runtime families" }).getByLabel("node", { exact: true }).check();
  await page.getByRole("button", { name: "Register host" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "dora-laptop" })).toBeVisible();
  const hostId = new URL(page.url()).pathname.split("/").pop()!;
  // The sandboxes must reach a platform that listens on loopback: the host network.
  const host = await callProcedure<{ revision: string }>(page.request, "hosts.get", { workspaceId, hostId }, "query");
  await callProcedure(page.request, "hosts.updateDockerSettings", { workspaceId, hostId, revision: host.revision, settings: { network: "host", warmPools: [] } });

  await page.reload();
  await page.getByRole("button", { name: "Download operator bundle" }).click();
  await expect(page.getByRole("heading", { name: "Operator bundle ready" })).toBeVisible();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dp-docker-bundle-"));
  let composeFile = "";
  for (const link of await page.getByRole("link", { name: /^Download discoparrot-operator-/ }).all()) {
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = path.join(folder, download.suggestedFilename());
    await download.saveAs(file);
    if (file.endsWith(".compose.yaml")) composeFile = file;
  }

  let output = "";
  operator = spawn(process.execPath, ["--import", "tsx", "operators/docker/main.ts", "--bundle", composeFile], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, DOCKER_HOST: dockerHost() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  operator.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  operator.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Kept beside the server's log, to read when this fails.
  operator.once("exit", () => fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "docker-operator.log"), output));
  operator.stdout!.on("data", () => fs.writeFileSync(path.join(process.env.E2E_DATA_DIR!, "docker-operator.log"), output));
  await expect(page.getByRole("region", { name: "Operator", exact: true }).getByRole("status")).toHaveText(/^Registered:/, { timeout: 30_000 });
  expect(output).not.toMatch(/opk_[A-Za-z0-9_-]{8,}/);

  await page.getByRole("button", { name: "Make this my default Docker host" }).click();
  await expect(page.getByText(/is your default Docker host/i)).toBeVisible();

  const profile = await callProcedure<{ id: string }>(page.request, "profiles.create", {
    workspaceId,
    name: "On my Docker",
    hostChoice: { kind: "default-docker" },
    template: "shell",
    image: SANDBOX_IMAGE.image,
    tag: SANDBOX_IMAGE.tag,
    resourceClass: "small",
    runtimeFamilies: ["node"],
    workloadIdentity: null,
    persistentWorkspace: false,
  });
  await page.goto(`/profiles/${profile.id}`);
  await page.getByLabel("First turn").fill("for i in 1 2 3; do echo docker step $i; sleep 1; done");
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const turn = page.getByRole("region", { name: "Turn 1 output" });
  await expect(turn.getByText("docker step 1")).toBeVisible({ timeout: 60_000 });
  await expect(turn.getByText("docker step 3")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(/dora-laptop/).first()).toBeVisible();
});
