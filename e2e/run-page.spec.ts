import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { newWorkspace } from "./fixtures";

/**
 * The run page as a log viewer: a managed run prints colours (256 and true colour), 3,000 numbered
 * lines and a line too long for the panel; the reader searches, jumps, toggles timestamps, line
 * numbers and wrapping, scrolls away from the tail and back, downloads the log, sends a turn with
 * Ctrl+Enter that fails, finds the exit code and last line at that turn, and folds it away.
 */
test.describe.configure({ mode: "serial" });

const FIRST_TURN = [
  String.raw`printf '\033[38;5;208mpalette-orange\033[0m \033[38;2;10;200;30mtrue-green\033[0m\n'`,
  "seq 1 3000",
  String.raw`printf 'w%.0s' $(seq 1 600); echo`,
  "echo all done",
].join("; ");

async function startRun(page: Page, input: string): Promise<void> {
  await page.getByRole("link", { name: "Profiles" }).first().click();
  await page.getByRole("link", { name: "Default" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
  await page.getByLabel("First turn").fill(input);
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_/);
}

const colorOf = (page: Page, text: string) => page.getByText(text, { exact: true }).evaluate((element) => getComputedStyle(element).color);

test("the run page reads like a log viewer: colour, search, toggles, follow and jump, download, Ctrl+Enter, a failed turn's reason at the turn", async ({ page }) => {
  test.setTimeout(150_000);
  await newWorkspace(page, "Lou Logreader", "lou@runpage.test", "Run page");
  await startRun(page, FIRST_TURN);

  const log = page.getByRole("region", { name: "Run log" });
  const scroller = page.getByTestId("run-log-scroller");
  const turnOne = page.getByRole("region", { name: "Turn 1 output" });
  // It follows the tail: the last line shows without the reader scrolling.
  await expect(turnOne.getByText("all done")).toBeInViewport({ timeout: 45_000 });
  await expect(page).toHaveTitle(/^Run of Default · (Running|Idle) · Disco Parrot$/);
  await expect(page.getByRole("button", { name: "Send turn" })).toBeEnabled({ timeout: 15_000 });
  await expect(page).toHaveTitle("Run of Default · Idle · Disco Parrot");
  // The compact header: where it runs, who started it, how long it took.
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1, name: "Default" }) });
  await expect(header.getByText("Runs on").locator("..")).toContainText("Managed");
  await expect(header.getByText("Started by").locator("..")).toContainText("lou@runpage.test (you)");
  await expect(header.getByText("Duration", { exact: true }).locator("..")).toContainText(/\d+ (ms|s)/);

  // Wrapping: the long line wraps inside the panel; unwrapped, the panel scrolls sideways.
  const overflows = () => scroller.evaluate((element) => element.scrollWidth > element.clientWidth);
  expect(await overflows()).toBe(false);
  await log.getByRole("button", { name: "Wrap lines" }).click();
  await expect(log.getByRole("button", { name: "Wrap lines" })).toHaveAttribute("aria-pressed", "false");
  await expect.poll(overflows).toBe(true);
  await log.getByRole("button", { name: "Wrap lines" }).click();
  await expect.poll(overflows).toBe(false);

  // Search: a line 2,700 lines up is found, counted, scrolled to and marked.
  const search = page.getByRole("searchbox", { name: "Search the log" });
  await search.fill("2718");
  await expect(log.getByText("1 of 1")).toBeVisible();
  const current = log.locator("mark[data-current-match]");
  await expect(current).toHaveText("2718");
  await expect(current).toBeInViewport();
  await expect(turnOne.getByText("all done")).toHaveCount(0);
  // Reading back up stops following; "Jump to live" returns to the tail.
  const jump = page.getByRole("button", { name: /Jump to live/ });
  await expect(jump).toBeVisible();

  // Line numbers and timestamps, on request.
  const currentRow = log.locator("[data-index]").filter({ has: page.locator("mark[data-current-match]") });
  await expect(currentRow).not.toContainText("2719");
  await log.getByRole("button", { name: "Line numbers" }).click();
  await expect(currentRow).toContainText("2719");
  await expect(currentRow.locator("time")).toHaveCount(0);
  await log.getByRole("button", { name: "Timestamps" }).click();
  await expect(currentRow.locator("time")).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  await log.getByRole("button", { name: "Timestamps" }).click();
  await log.getByRole("button", { name: "Line numbers" }).click();
  await expect(currentRow.locator("time")).toHaveCount(0);

  // Enter and Shift+Enter step through matches.
  await search.fill("300");
  await expect(log.getByText(/^1 of \d+$/)).toBeVisible();
  await search.press("Enter");
  await expect(log.getByText(/^2 of \d+$/)).toBeVisible();
  await search.press("Shift+Enter");
  await expect(log.getByText(/^1 of \d+$/)).toBeVisible();
  await expect(current).toBeInViewport();

  await jump.click();
  await expect(turnOne.getByText("all done")).toBeInViewport();
  await expect(jump).toHaveCount(0);
  await scroller.hover();
  await page.mouse.wheel(0, -3000);
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(turnOne.getByText("all done")).toBeInViewport();

  // Colours beyond the 16: the 256-colour palette and true colour, exactly.
  await search.fill("palette");
  await expect(current).toBeInViewport();
  expect(await colorOf(page, "-orange")).toBe("rgb(255, 135, 0)");
  expect(await colorOf(page, "true-green")).toBe("rgb(10, 200, 30)");
  await search.fill("");

  // The whole run's log as a file: plain text, no escape codes.
  const [download] = await Promise.all([page.waitForEvent("download"), log.getByRole("button", { name: "Download log" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^run_\w+\.log$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text).toContain("=== Turn 1 ===\n$ printf");
  expect(text).toContain("palette-orange true-green\n1\n2\n3\n");
  expect(text).toContain("2999\n3000\n");
  expect(text).toContain("all done\n");
  expect(text).not.toContain("\u001b");

  // Ctrl+Enter sends the next turn; it fails, and says so where it is.
  await page.getByLabel("Next turn").fill("echo some work; echo last words; exit 3");
  await page.getByLabel("Next turn").press("Control+Enter");
  const turnTwo = page.getByRole("region", { name: "Turn 2 output" });
  await expect(turnTwo.getByText("some work")).toBeVisible({ timeout: 30_000 });
  await expect(log.getByText("Exited with code 3", { exact: false })).toBeVisible({ timeout: 15_000 });
  await expect(log.getByText("Its last lines:").locator("..")).toContainText("some work\nlast words");
  await expect(page).toHaveTitle("Run of Default · Idle · Disco Parrot");
  // One turn's output as a file.
  const [turnFile] = await Promise.all([page.waitForEvent("download"), log.getByRole("button", { name: "Download turn 2 output" }).click()]);
  expect(fs.readFileSync((await turnFile.path())!, "utf8")).toBe("some work\nlast words\n");

  // A turn folds away behind its header, and opens again.
  const fold = log.getByRole("button", { name: "Turn 2", exact: true });
  await expect(fold).toHaveAttribute("aria-expanded", "true");
  await fold.click();
  await expect(fold).toHaveAttribute("aria-expanded", "false");
  await expect(turnTwo).toHaveCount(0);
  await expect(log.getByText("Exited with code 3", { exact: false })).toHaveCount(0);
  await fold.click();
  await expect(turnTwo.getByText("last words")).toBeVisible();
});
