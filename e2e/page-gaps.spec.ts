import fs from "node:fs";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { inviteMember, newWorkspace, signInWithPassword } from "./fixtures";

/**
 * What issue 14 still lacked: a click inside the app (not only a typed address) to a run of
 * another of your workspaces opens it there and says so; a page that crashes in the browser shows
 * the branded page inside the shell with a request id and a way on; a German reader sees days in
 * German with no hydration error.
 */
test.describe.configure({ mode: "serial" });

const OWNER = { name: "Pia Gaps", email: "pia@gaps.test" };
let runUrl = "";

const serverLogLines = () => fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8").split("\n");

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Marks the document: still marked later means every step since was a client-side navigation. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { sameDocument?: boolean }).sameDocument = true));
}
const stillSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

/** On the runs list, pastes a run's link into the search and follows the link the page offers. */
async function openPastedRun(page: Page, url: string): Promise<void> {
  await page.getByRole("link", { name: "Runs" }).first().click();
  await expect(page).toHaveURL(/\/runs$/);
  await page.getByRole("searchbox").fill(url);
  await page.getByRole("link", { name: /^Open run run_/ }).click();
  await expect(page).toHaveURL(new RegExp(`${new URL(url).pathname}$`));
}

test("a click inside the app to a run of another of your workspaces opens it there; someone outside gets not-found", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await newWorkspace(page, OWNER.name, OWNER.email, "Gaps Beta");
  await page.getByRole("link", { name: "Profiles" }).first().click();
  await page.getByRole("link", { name: "Default" }).first().click();
  await page.getByLabel("First turn").fill("echo clicked from another workspace");
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/run_[a-z0-9]{20}$/);
  runUrl = page.url();
  const invite = await inviteMember(page, "quin@gaps.test", []);

  // Quin has a workspace of his own, joins Beta, and goes back to his own.
  const quin = await freshPage(browser);
  await newWorkspace(quin, "Quin Member", "quin@gaps.test", "Quin's own");
  await quin.goto(invite);
  await quin.getByRole("button", { name: "Join as quin@gaps.test" }).click();
  await quin.waitForURL((url) => url.pathname === "/hosts");
  await quin.getByLabel("Workspace", { exact: true }).selectOption({ label: "Quin's own" });
  await expect(quin.getByRole("option", { name: "Quin's own", selected: true })).toBeAttached();

  await markDocument(quin);
  await openPastedRun(quin, runUrl);
  await expect(quin.getByRole("status").filter({ hasText: "Switched to workspace Gaps Beta" })).toBeVisible();
  await expect(quin.getByText("echo clicked from another workspace").first()).toBeVisible();
  await expect(quin.getByRole("heading", { name: "Run not found" })).toHaveCount(0);
  await expect(quin.getByRole("option", { name: "Gaps Beta", selected: true })).toBeAttached();
  expect(await stillSameDocument(quin)).toBe(true);

  // The next click stays in Beta, and the note has said its piece.
  await quin.getByRole("link", { name: "Runs" }).first().click();
  await expect(quin.getByText("echo clicked from another workspace").first()).toBeVisible();
  await expect(quin.getByText(/Switched to workspace/)).toHaveCount(0);
  await expect(quin.getByRole("option", { name: "Gaps Beta", selected: true })).toBeAttached();
  expect(await stillSameDocument(quin)).toBe(true);
  // Picking his own workspace again takes the page back there.
  await quin.getByLabel("Workspace", { exact: true }).selectOption({ label: "Quin's own" });
  await expect(quin.getByRole("option", { name: "Quin's own", selected: true })).toBeAttached();
  await expect(quin.getByText("echo clicked from another workspace")).toHaveCount(0);

  // Rae is in no workspace with the run: the same "not found" as a made-up id, and no hint of Beta.
  const rae = await freshPage(browser);
  await newWorkspace(rae, "Rae Outside", "rae@gaps.test", "Rae's own");
  await markDocument(rae);
  await openPastedRun(rae, runUrl);
  await expect(rae.getByRole("heading", { name: "Run not found" })).toBeVisible();
  await expect(rae.getByText(/Switched to workspace/)).toHaveCount(0);
  await expect(rae.getByText("Gaps Beta")).toHaveCount(0);
  await expect(rae.getByText("echo clicked from another workspace")).toHaveCount(0);
  await expect(rae.getByRole("option", { name: "Rae's own", selected: true })).toBeAttached();
  await openPastedRun(rae, runUrl.replace(/run_[a-z0-9]{20}$/, "run_aaaaaaaaaaaaaaaaaaaa"));
  await expect(rae.getByRole("heading", { name: "Run not found" })).toBeVisible();
  expect(await stillSameDocument(rae)).toBe(true);
});

test("a page that crashes in the browser shows the branded page inside the shell, with a request id and a way home", async ({ page }) => {
  await signInWithPassword(page, OWNER.email);
  await page.goto(runUrl);
  await expect(page.getByText("echo clicked from another workspace").first()).toBeVisible();
  // The run document the page polls arrives without the person who started it: the page cannot render it.
  const breakRunDocument = () =>
    page.route("**/api/trpc/**", async (route) => {
      if (!new URL(route.request().url()).pathname.includes("runs.get")) return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as { result?: { data?: Record<string, unknown> } }[];
      for (const item of body) if (item.result?.data && "startedBy" in item.result.data) item.result.data.startedBy = null;
      await route.fulfill({ response, json: body });
    });
  const crashed = page.getByRole("heading", { level: 1, name: "Something went wrong" });
  await breakRunDocument();

  await expect(crashed).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("This page could not be loaded.")).toBeVisible();
  const idLine = page.getByText(/^Request id: [A-Za-z0-9._-]{8,64}$/);
  await expect(idLine).toBeVisible();
  // The id is the crash's own: the server's log has a line for it, naming the page and the kind of error, nothing more.
  const requestId = (await idLine.textContent())!.replace("Request id: ", "");
  await expect
    .poll(() => serverLogLines().filter((line) => line.includes(`"requestId":"${requestId}"`) && line.includes("page.client_error")))
    .toEqual([expect.stringContaining(`"path":"${new URL(runUrl).pathname}"`)]);
  expect(serverLogLines().find((line) => line.includes("page.client_error"))).toContain('"errorName":"TypeError"');
  // Inside the shell: the navigation and the workspace are still there.
  await expect(page.getByRole("link", { name: "Runs" }).first()).toBeVisible();
  await expect(page.getByRole("option", { name: "Gaps Beta", selected: true })).toBeAttached();

  // Once the data is sound again, "Try again" brings the run back instead of the same crash.
  await page.unroute("**/api/trpc/**");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByText("echo clicked from another workspace").first()).toBeVisible();
  await expect(crashed).toHaveCount(0);

  // And "Go home" leads out of a crash.
  await breakRunDocument();
  await expect(crashed).toBeVisible({ timeout: 20_000 });
  await page.unroute("**/api/trpc/**");
  await page.getByRole("link", { name: "Go home" }).click();
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(crashed).toHaveCount(0);
});

test.describe("in a German browser", () => {
  test.use({ locale: "de-DE" });

  test("days on the usage page are written the German way, with no hydration error", async ({ page }) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await newWorkspace(page, "Uwe Usage", "uwe@gaps.test", "Nutzung");
    await page.goto("/usage");
    // 03.06.2025, not Jun 3, 2025 (the server's locale) nor 2025-06-03 (what the server writes first).
    await expect(page.getByText(/^\d{2}\.\d{2}\.\d{4} to \d{2}\.\d{2}\.\d{4} \(UTC days\)\.$/)).toBeVisible();
    await expect(page.getByText(/since \d{2}\.\d{2}\.\d{4}\./)).toBeVisible();
    expect(errors.filter((text) => /hydrat|#418|#423|#425/i.test(text))).toEqual([]);
  });
});
