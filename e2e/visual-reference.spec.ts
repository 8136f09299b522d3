import path from "node:path";
import { expect, test } from "@playwright/test";
import { freshPage, settled, stagedWorkspace, WIDTHS } from "./a11y-fixtures";

/**
 * The suite's visual reference: full-page screenshots of the pages people compare with other
 * tools (the run page, the runs list, a host page, the audit log) at a laptop's and a phone's
 * width, saved to e2e/visual-reference/<page>-<width>.png and committed, so a change to how
 * they look shows up in review. Dates and ticking clocks are masked: they differ on every run.
 * Nothing is compared automatically. An ordinary run writes them into its test-results folder
 * (so the suite never changes the checkout); regenerate the committed ones with
 * `UPDATE_VISUAL_REFERENCE=1 npx playwright test e2e/visual-reference.spec.ts`.
 */
const person = { name: "Vera Visual", email: "vera@visual.test" };
const folder = path.join(__dirname, "visual-reference");

const PAGES: { name: string; path: (staged: Awaited<ReturnType<typeof stagedWorkspace>>) => string; shows?: string }[] = [
  { name: "run", path: (staged) => staged.runPath, shows: "hello from the accessibility check" },
  { name: "runs-list", path: () => "/runs" },
  { name: "host", path: (staged) => `/hosts/${staged.dockerHostId}` },
  { name: "audit", path: () => "/audit" },
];

for (const shot of PAGES) {
  test(`the ${shot.name} page's reference screenshots at ${WIDTHS.join(" and ")} px`, async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    const staged = await stagedWorkspace(browser, person, "Visual");
    const page = await freshPage(browser, person);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(shot.path(staged));
      await settled(page);
      if (shot.shows) await expect(page.getByText(shot.shows, { exact: true }).first()).toBeVisible({ timeout: 20_000 });
      await page.screenshot({
        path: process.env.UPDATE_VISUAL_REFERENCE ? path.join(folder, `${shot.name}-${width}.png`) : testInfo.outputPath(`${shot.name}-${width}.png`),
        fullPage: true,
        animations: "disabled",
        caret: "hide",
        mask: [page.locator("time")],
      });
    }
    await page.context().close();
  });
}
