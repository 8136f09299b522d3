import { expectAccessible } from "./a11y-fixtures";
import { expect, type Page, test } from "@playwright/test";
import { newWorkspace, signInLocally } from "./fixtures";
import { callProcedure, registerHostByApi } from "./operator-fixtures";

/**
 * Runs you can find: a person with a handful of runs narrows the list by status, profile and
 * person, searches what the runs were first asked, reloads and keeps the filters, tells a failed
 * last turn from a good one on an idle run, and starts a new run from the list without visiting
 * a profile first.
 */
test.describe.configure({ mode: "serial" });

const PERSON = { name: "Fran Finder", email: "fran@runs-list.test" };
let workspaceId = "";
const profileIds: Record<string, string> = {};

interface RunView {
  id: string;
  status: string;
  profileName: string;
  firstInput: string | null;
  lastTurn: { outcome: string | null } | null;
}

async function startRun(page: Page, profile: string, input: string): Promise<string> {
  const run = await callProcedure<RunView>(page.request, "runs.start", { workspaceId, profileId: profileIds[profile], input });
  // One after another, each to its end: a person may have only so many runs working at once.
  await expect.poll(async () => (await callProcedure<RunView>(page.request, "runs.get", { workspaceId, runId: run.id }, "query")).status, { timeout: 45_000 }).toBe("idle");
  return run.id;
}

async function profilesByName(page: Page): Promise<void> {
  const { items } = await callProcedure<{ items: { id: string; name: string }[] }>(page.request, "profiles.list", { workspaceId, limit: 50 }, "query");
  for (const item of items) profileIds[item.name] = item.id;
}

const rows = (page: Page) => page.getByRole("table").getByRole("row").filter({ has: page.getByRole("link") });
const rowOf = (page: Page, text: string) => rows(page).filter({ hasText: text });

test("filters by status, profile and person, searches first turns, and keeps all of it across a reload", async ({ page }) => {
  test.setTimeout(180_000);
  workspaceId = await newWorkspace(page, PERSON.name, PERSON.email, "Findable runs");
  await page.goto("/profiles");
  await page.getByRole("link", { name: "New profile" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Second");
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Second" })).toBeVisible();
  await profilesByName(page);

  await startRun(page, "Default", "echo Alpha ready");
  await startRun(page, "Default", "echo Bravo broke; exit 3");
  const ended = await startRun(page, "Second", "echo charlie on second");
  await callProcedure(page.request, "runs.end", { workspaceId, runId: ended });

  await page.goto("/runs");
  await expect(rows(page)).toHaveCount(3);
  // Each row: the first turn, where it ran, who started it.
  const alpha = rowOf(page, "echo Alpha ready");
  await expect(alpha).toContainText("Managed");
  await expect(alpha).toContainText(PERSON.email);
  await expect(alpha.getByRole("link", { name: "echo Alpha ready" })).toHaveAttribute("title", "echo Alpha ready");

  // An idle run whose last turn failed says so, in another colour than one that succeeded.
  const bravo = rowOf(page, "echo Bravo broke");
  await expect(bravo.getByText("Idle", { exact: true })).toBeVisible();
  const failed = bravo.getByText("Failed", { exact: true });
  const succeeded = alpha.getByText("Succeeded", { exact: true });
  await expect(failed).toBeVisible();
  await expect(succeeded).toBeVisible();
  const colour = (locator: typeof failed) => locator.evaluate((element) => getComputedStyle(element).color);
  expect(await colour(failed)).not.toBe(await colour(succeeded));

  await expectAccessible(page, "runs list");

  // Status.
  await page.getByLabel("Status").selectOption({ label: "Ended" });
  await expect(page).toHaveURL(/[?&]status=ended/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rowOf(page, "echo charlie on second")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(3);

  // Profile, then a search within it, whatever the case.
  await page.getByLabel("Profile").selectOption({ label: "Default" });
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("searchbox", { name: "Search first turns" }).fill("BRAVO");
  await expect(rows(page)).toHaveCount(1);
  await expect(rowOf(page, "echo Bravo broke")).toBeVisible();
  await expect(page).toHaveURL(/[?&]q=BRAVO/);
  await page.getByLabel("Started by").selectOption({ label: PERSON.email });
  await expect(page).toHaveURL(/[?&]person=usr_/);

  // A reload (or the link sent to someone) shows the same list.
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search first turns" })).toHaveValue("BRAVO");
  await expect(page.getByLabel("Profile")).toHaveValue(profileIds.Default!);
  await expect(rows(page)).toHaveCount(1);
  await expect(rowOf(page, "echo Bravo broke")).toBeVisible();

  // Nothing matches: said as such, not as an empty workspace; clearing brings every run back.
  await page.getByRole("searchbox", { name: "Search first turns" }).fill("no run was asked this");
  await expect(page.getByText("No run matches these filters.")).toBeVisible();
  await expect(page.getByText("No runs yet.")).toHaveCount(0);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(3);
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole("searchbox", { name: "Search first turns" })).toHaveValue("");

  // A row opens its run.
  await rowOf(page, "echo Bravo broke").getByRole("link").click();
  await expect(page).toHaveURL(/\/runs\/run_/);
});

test("New run on the list picks a profile and the first turn in place, and opens the run", async ({ page }) => {
  test.setTimeout(90_000);
  await signInLocally(page, PERSON.name, PERSON.email);
  await page.goto("/runs");
  const newRun = page.getByRole("button", { name: "New run" });

  // Keyboard: the dialog opens on Enter, takes focus, and Escape closes it.
  await newRun.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "New run" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("First turn")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await newRun.click();
  await dialog.getByLabel("Profile").selectOption({ label: "Second" });
  await dialog.getByLabel("First turn").fill("echo delta from the list");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
  const runId = new URL(page.url()).pathname.split("/").at(-1)!;
  const run = await callProcedure<RunView>(page.request, "runs.get", { workspaceId, runId }, "query");
  expect(run).toMatchObject({ profileName: "Second", firstInput: "echo delta from the list" });
  await expect(page.getByText("delta from the list").first()).toBeVisible({ timeout: 30_000 });

  await page.goto("/runs");
  await expect(rows(page).first()).toContainText("echo delta from the list");
  await expect(rows(page).first()).toContainText("Second");
});

test("a profile that cannot start a run is refused in the dialog with the resolver's reason", async ({ page }) => {
  await signInLocally(page, PERSON.name, PERSON.email);
  const host = await registerHostByApi(page.request, workspaceId, { name: "cold-list-docker", kind: "docker" });
  const full = await callProcedure<Record<string, unknown> & { etag: string }>(page.request, "profiles.get", { workspaceId, profileId: profileIds.Second }, "query");
  await callProcedure(page.request, "profiles.update", {
    workspaceId,
    profileId: profileIds.Second,
    etag: full.etag,
    settings: { name: full.name, hostChoice: { kind: "host", hostId: host.id }, template: full.template, image: full.image, tag: full.tag, resourceClass: full.resourceClass, runtimeFamilies: full.runtimeFamilies, workloadIdentity: full.workloadIdentity, persistentWorkspace: full.persistentWorkspace },
  });
  const before = (await callProcedure<{ items: unknown[] }>(page.request, "runs.list", { workspaceId, limit: 50 }, "query")).items.length;
  await page.goto("/runs");
  await expect(rows(page)).toHaveCount(before);
  await page.getByRole("button", { name: "New run" }).click();
  const dialog = page.getByRole("dialog", { name: "New run" });
  await dialog.getByLabel("Profile").selectOption({ label: "Second" });
  await dialog.getByLabel("First turn").fill("echo should not run");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "cannot start a run" })).toContainText("cold-list-docker is not registered");
  await expect(page).toHaveURL(/\/runs$/);
  await page.keyboard.press("Escape");
  await expect(rows(page)).toHaveCount(before);
});

test("a running run's duration counts up on the list, and the Running filter finds it", async ({ page }) => {
  await signInLocally(page, PERSON.name, PERSON.email);
  const run = await callProcedure<RunView>(page.request, "runs.start", { workspaceId, profileId: profileIds.Default, input: "echo echo-long; sleep 30" });
  try {
    await page.goto("/runs?status=running");
    const row = rowOf(page, "echo-long");
    await expect(row).toBeVisible();
    await expect(rows(page)).toHaveCount(1);
    const duration = row.getByRole("cell").last();
    await expect(duration).toHaveText(/\d+ (ms|s)/);
    const first = await duration.innerText();
    await expect.poll(() => duration.innerText(), { timeout: 10_000 }).not.toBe(first);
  } finally {
    await callProcedure(page.request, "runs.end", { workspaceId, runId: run.id });
  }
});
