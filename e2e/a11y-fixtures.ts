import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page } from "@playwright/test";
import { hasAccount, newWorkspace, signInLocally } from "./fixtures";
import { callProcedure, registerHostByApi } from "./operator-fixtures";

/** The WCAG levels the issue asks for: A and AA, 2.0 and 2.1. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1440, 390] as const;

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical axe violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact!,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
}

function describe(name: string, problems: AxeProblem[]): string {
  const lines = problems.map((problem) => `  ${problem.id} (${problem.impact}): ${problem.help}\n${problem.targets.map((target) => `    - ${target}`).join("\n")}`);
  return `${name}: ${problems.length} serious or critical accessibility violation(s)\n${lines.join("\n")}`;
}

/**
 * Fails when axe finds anything serious or critical, naming each rule, what it asks for and
 * the elements that break it, so the message alone says what to fix. Soft, so one page's
 * problems do not hide the next page's.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const problems = await seriousViolations(page);
  if (problems.length > 0) console.log(describe(name, problems));
  expect.soft(problems, describe(name, problems)).toEqual([]);
}

/** Whether the page scrolls sideways (a phone user would have to pan to read it). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
}

export async function expectNoHorizontalScroll(page: Page, name: string): Promise<void> {
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  expect.soft(scrollWidth, `${name}: the page is ${scrollWidth} px wide in a ${clientWidth} px window`).toBeLessThanOrEqual(clientWidth);
}

/**
 * The main navigation can be reached at this width: either its links are on screen, or a
 * "Menu" button opens them. Leaves the menu as it found it.
 */
export async function expectMainNavReachable(page: Page, name: string): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Main" });
  const runs = nav.getByRole("link", { name: "Runs" });
  if (await runs.isVisible()) return;
  const menu = page.getByRole("button", { name: "Menu" });
  await expect.soft(menu, `${name}: the navigation is hidden and no Menu button opens it`).toBeVisible();
  if (!(await menu.isVisible())) return;
  await menu.click();
  await expect.soft(runs, `${name}: the Menu button does not reveal the navigation`).toBeVisible();
  await menu.click();
}

/** Waits until the page shows its main heading and no "Loading…" panel or "Connecting…" stream is left. */
export async function settled(page: Page): Promise<void> {
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await expect(page.getByText(/^(Loading|Connecting)\b/)).toHaveCount(0, { timeout: 15_000 });
}

export interface StagedWorkspace {
  workspaceId: string;
  dockerHostId: string;
  kubernetesHostId: string;
  profileId: string;
  runPath: string;
}

/**
 * A workspace with something on every page: a Docker and a Kubernetes host (registered, no
 * operator needed), the default profile, and a finished managed run (started the way a person
 * does, from the profile page), which also leaves rows in the audit log.
 */
export async function stageWorkspace(page: Page, person: { name: string; email: string }, workspace: string): Promise<StagedWorkspace> {
  const workspaceId = await newWorkspace(page, person.name, person.email, workspace);
  const docker = await registerHostByApi(page.request, workspaceId, { name: "build-docker", kind: "docker" });
  const kubernetes = await registerHostByApi(page.request, workspaceId, { name: "prod-eks", kind: "kubernetes" });
  const { items } = await callProcedure<{ items: { id: string; name: string }[] }>(page.request, "profiles.list", { workspaceId, limit: 10 }, "query");
  const profileId = items.find((item) => item.name === "Default")!.id;

  await page.goto(`/profiles/${profileId}`);
  await page.getByLabel("First turn").fill("echo hello from the accessibility check; printf '\\033[32mgreen\\033[0m done\\n'");
  await page.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/run_/);
  const runPath = new URL(page.url()).pathname;
  await expect(page.getByText("hello from the accessibility check").first()).toBeVisible({ timeout: 30_000 });
  return { workspaceId, dockerHostId: docker.id, kubernetesHostId: kubernetes.id, profileId, runPath };
}

/**
 * The staged workspace of `person`, built the first time any test asks and kept in the run's
 * data folder, so each page's check is its own test: one failing page neither stops the others
 * nor loses the story when Playwright starts a fresh worker.
 */
export async function stagedWorkspace(browser: Browser, person: { name: string; email: string }, workspace: string, extra?: (page: Page, staged: StagedWorkspace) => Promise<Record<string, string>>): Promise<StagedWorkspace & Record<string, string>> {
  const file = path.join(process.env.E2E_DATA_DIR!, `e2e-staged-${person.email}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as StagedWorkspace & Record<string, string>;
  expect(hasAccount(person.email), `${person.email} exists but their workspace was never staged`).toBe(false);
  const context = await browser.newContext();
  const page = await context.newPage();
  const staged = await stageWorkspace(page, person, workspace);
  const all = { ...staged, ...(extra ? await extra(page, staged) : {}) };
  await context.close();
  fs.writeFileSync(file, JSON.stringify(all));
  return all;
}

/** A fresh browser context, signed in as `person` or not at all. */
export async function freshPage(browser: Browser, person: { name: string; email: string } | null): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (person) await signInLocally(page, person.name, person.email);
  return page;
}
