import { expect, type Locator, type Page, test } from "@playwright/test";
import { newWorkspace, signInLocally } from "./fixtures";
import { callProcedure, registerHostByApi } from "./operator-fixtures";

/**
 * A person starts a run on the default managed profile and watches it: lines arrive one by one,
 * a second turn streams too, a reload mid-turn rejoins without losing or repeating a line, and a
 * profile whose host is not registered is refused with the resolver's reason.
 */
test.describe.configure({ mode: "serial" });

const STEPS = "for i in 1 2 3; do echo step $i; sleep 1; done";

async function openDefaultProfile(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Profiles" }).first().click();
  await page.getByRole("link", { name: "Default" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
}

/** The lines of a turn's output panel, as shown. */
async function lines(output: Locator): Promise<string[]> {
  const text = await output.innerText();
  return text.split("\n").map((line) => line.trim()).filter((line) => /^step \d|^round \d/.test(line));
}

test("a person watches a managed run stream line by line, sends a second turn, and a reload mid-turn rejoins cleanly", async ({ page }) => {
  test.setTimeout(120_000);
  await newWorkspace(page, "Rui Runner", "rui@runs.test", "Runs");
  await openDefaultProfile(page);

  await page.getByLabel("First turn").fill(STEPS);
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const runUrl = page.url();
  await expect(page.getByRole("status", { name: "Live" })).toBeVisible({ timeout: 20_000 });

  const first = page.getByRole("region", { name: "Turn 1 output" });
  // One by one: step 1 is there while step 3 is not yet.
  await expect(first.getByText("step 1")).toBeVisible({ timeout: 30_000 });
  expect(await lines(first)).not.toContain("step 3");
  await expect(first.getByText("step 3")).toBeVisible({ timeout: 10_000 });
  expect(await lines(first)).toEqual(["step 1", "step 2", "step 3"]);
  await expect(page.getByRole("button", { name: "Send turn" })).toBeEnabled({ timeout: 15_000 });

  // The second turn streams too; reload while it is running.
  await page.getByLabel("Next turn").fill("for i in 1 2 3 4; do echo round $i; sleep 1; done");
  await page.getByRole("button", { name: "Send turn" }).click();
  const second = page.getByRole("region", { name: "Turn 2 output" });
  await expect(second.getByText("round 1")).toBeVisible({ timeout: 30_000 });
  await page.reload();
  const secondAfterReload = page.getByRole("region", { name: "Turn 2 output" });
  await expect(secondAfterReload.getByText("round 4")).toBeVisible({ timeout: 20_000 });
  expect(await lines(secondAfterReload)).toEqual(["round 1", "round 2", "round 3", "round 4"]);
  expect(await lines(page.getByRole("region", { name: "Turn 1 output" }))).toEqual(["step 1", "step 2", "step 3"]);

  // The Runs page lists it, newest first.
  await page.getByRole("link", { name: "Runs" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Default/ })).toHaveCount(1);

  // Ending it, once asked to confirm: it takes no more turns (its sandbox goes with it).
  await page.goto(runUrl);
  await expect(page.getByRole("button", { name: "Send turn" })).toBeEnabled({ timeout: 15_000 });
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "End run" }).click();
  await expect(page.getByText("This run has ended.")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Send turn" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText("This run has ended.")).toBeVisible();
});

test("a run on a profile whose host is not registered shows the resolver's reason and starts nothing", async ({ page }) => {
  const workspaceId = await newWorkspace(page, "Nia Nohost", "nia@runs.test", "No host");
  const host = await registerHostByApi(page.request, workspaceId, { name: "cold-docker", kind: "docker" });
  const { items } = await callProcedure<{ items: { id: string; name: string }[] }>(page.request, "profiles.list", { workspaceId, limit: 10 }, "query");
  const profile = items.find((item) => item.name === "Default")!;
  const full = await callProcedure<Record<string, unknown> & { etag: string }>(page.request, "profiles.get", { workspaceId, profileId: profile.id }, "query");
  await callProcedure(page.request, "profiles.update", {
    workspaceId,
    profileId: profile.id,
    etag: full.etag,
    settings: { name: full.name, hostChoice: { kind: "host", hostId: host.id }, template: full.template, image: full.image, tag: full.tag, resourceClass: full.resourceClass, runtimeFamilies: full.runtimeFamilies, workloadIdentity: full.workloadIdentity, persistentWorkspace: full.persistentWorkspace },
  });

  await page.goto(`/profiles/${profile.id}`);
  await page.getByLabel("First turn").fill("echo should not run");
  await page.getByRole("button", { name: "Start run" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "cannot start a run" });
  await expect(refusal).toContainText("cold-docker is not registered");
  await expect(page).toHaveURL(new RegExp(`/profiles/${profile.id}`));
  const runs = await callProcedure<{ items: unknown[] }>(page.request, "runs.list", { workspaceId, limit: 10 }, "query");
  expect(runs.items).toHaveLength(0);
});

test("an idle run shows its sandbox was paused, and the next turn resumes it with its files", async ({ page }) => {
  test.setTimeout(120_000);
  await signInLocally(page, "Rui Runner", "rui@runs.test");
  await page.goto("/profiles");
  await page.getByRole("link", { name: "New profile" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Naps quickly");
  await page.getByLabel("Pause when idle for (minutes)").fill("0.25");
  await page.getByLabel("End when idle for (hours)").fill("0");
  await page.getByRole("button", { name: "Create profile" }).click();
  // The field says what is wrong, and nothing is created until it is right.
  await expect(page.getByText("At least 0.01 hours")).toBeVisible();
  await page.getByLabel("End when idle for (hours)").fill("2");
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Naps quickly" })).toBeVisible();

  await page.getByLabel("First turn").fill("echo kept > notes.txt; echo written");
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  await expect(page.getByRole("region", { name: "Turn 1 output" }).getByText("written")).toBeVisible({ timeout: 30_000 });

  // Fifteen seconds with nothing to do, and the schedule's next pass: paused, files kept.
  await expect(page.getByText(/^Paused at .* its files are kept\. The next turn resumes it\.$/)).toBeVisible({ timeout: 45_000 });
  await page.getByLabel("Next turn").fill("cat notes.txt");
  await page.getByRole("button", { name: "Send turn" }).click();
  await expect(page.getByRole("region", { name: "Turn 2 output" }).getByText("kept", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^Resumed at .* in \d+\.\d s, after a pause for being idle/)).toBeVisible({ timeout: 15_000 });
});
