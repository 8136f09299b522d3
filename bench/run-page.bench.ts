/**
 * The run page in the browser, with a run of 100,000 lines beside one of 1,000:
 *  - first paint of the log: from navigation to the first output line on screen, and to the
 *    last one (the whole run replayed from the store over the event stream and shown at its
 *    tail, where the page opens), as the page's own clock (performance.now from navigation);
 *  - scrolling: frames per second while the log scrolls down by 100 px a frame (reading) and by
 *    a whole panel a frame (paging, every row replaced each frame);
 *  - the ratio of the 100,000-line run's first paint to the 1,000-line one's.
 * The runs are real: the built standalone server (`npm run build` first) on managed compute,
 * each started from the profile page with `seq N` as its turn, in Debian's Chromium with the
 * flags playwright.config.ts gives it.
 */
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { launchChromium, startStandalonePlatform } from "./standalone-platform";
import { emit, percentile } from "./measure";

const BENCH = "run-page";
const SIZES = [1_000, 100_000] as const;
const LOADS = 5;
const SCROLL_MS = 3_000;
const EMAIL = "bench@run-page.test";
const PASSWORD = "a bench password for the run page";

/** The install's first person, through onboarding, with a workspace of their own. */
async function signUp(page: Page): Promise<void> {
  await page.goto("/onboarding");
  await page.getByLabel("Name").fill("Bench Reader");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Workspace name").fill("Run page bench");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL((url) => url.pathname === "/hosts");
}

/** Starts a run of the Default profile whose turn prints `lines` lines; returns its page's URL once the turn has ended. */
async function seedRun(page: Page, lines: number): Promise<string> {
  await page.goto("/profiles");
  await page.getByRole("link", { name: "Default" }).first().click();
  await page.getByLabel("First turn").fill(`seq 1 ${lines}`);
  await page.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/run_/);
  await page.getByRole("button", { name: "Send turn" }).and(page.locator(":enabled")).waitFor({ timeout: 300_000 });
  return page.url();
}

/** Loads the run page afresh; returns ms from navigation to its first output line on screen, and to its last. */
async function firstPaint(browser: Browser, storageState: string, url: string, lastLine: string): Promise<{ first: number; last: number }> {
  const context = await browser.newContext({ storageState });
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "commit" });
    const row = 'section[aria-label="Turn 1 output"] [data-index]';
    const first = await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : false), row, { polling: "raf", timeout: 120_000 });
    const last = await page.waitForFunction(
      ({ selector, text }) => ([...document.querySelectorAll(selector)].some((element) => element.textContent === text) ? performance.now() : false),
      { selector: row, text: lastLine },
      { polling: "raf", timeout: 300_000 },
    );
    return { first: (await first.jsonValue()) as number, last: (await last.jsonValue()) as number };
  } finally {
    await context.close();
  }
}

/** Frames per second while the log scrolls down `step` px a frame (or a whole panel, with "page"), from its top. */
async function scrollRate(page: Page, step: number | "page"): Promise<number> {
  // A string, not a function: tsx names arrow functions with a helper that does not exist in the page.
  const advance = step === "page" ? "scroller.clientHeight" : String(step);
  return page.evaluate(`(async () => {
    const scroller = document.querySelector('[data-testid="run-log-scroller"]');
    scroller.scrollTop = 0;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let frames = 0;
    const started = performance.now();
    await new Promise((resolve) => {
      function tick() {
        frames += 1;
        scroller.scrollTop += ${advance};
        if (performance.now() - started < ${SCROLL_MS}) requestAnimationFrame(tick);
        else resolve();
      }
      requestAnimationFrame(tick);
    });
    return frames / ((performance.now() - started) / 1000);
  })()`);
}

export async function run(): Promise<void> {
  const platform = await startStandalonePlatform("run-page");
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: platform.base, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signUp(page);
    const urls = new Map<number, string>();
    for (const lines of SIZES) urls.set(lines, await seedRun(page, lines));
    const storageState = path.join(platform.dataDir, "state.json");
    await context.storageState({ path: storageState });

    const firstPaints = new Map<number, number>();
    for (const lines of SIZES) {
      const firsts: number[] = [];
      const lasts: number[] = [];
      for (let i = 0; i < LOADS; i += 1) {
        const { first, last } = await firstPaint(browser, storageState, urls.get(lines)!, String(lines));
        firsts.push(first);
        lasts.push(last);
      }
      firsts.sort((a, b) => a - b);
      lasts.sort((a, b) => a - b);
      const label = lines === 1_000 ? "1k" : "100k";
      firstPaints.set(lines, percentile(firsts, 50));
      emit({ bench: BENCH, metric: `first_line_painted_${label}_p50`, value: percentile(firsts, 50), unit: "ms" });
      emit({ bench: BENCH, metric: `last_line_painted_${label}_p50`, value: percentile(lasts, 50), unit: "ms" });

      await page.goto(urls.get(lines)!);
      await page.locator('section[aria-label="Turn 1 output"] [data-index]').getByText(String(lines), { exact: true }).waitFor({ timeout: 300_000 });
      emit({ bench: BENCH, metric: `scroll_100px_per_frame_${label}`, value: await scrollRate(page, 100), unit: "ops/s" });
      emit({ bench: BENCH, metric: `scroll_page_per_frame_${label}`, value: await scrollRate(page, "page"), unit: "ops/s" });
    }
    emit({ bench: BENCH, metric: "first_line_painted_100k_vs_1k_p50", value: firstPaints.get(100_000)! / firstPaints.get(1_000)!, unit: "ratio" });
  } finally {
    await browser.close();
    await platform.stop();
  }
}
