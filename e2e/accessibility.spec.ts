import { expect, test } from "@playwright/test";
import { expectAccessible, expectMainNavReachable, expectNoHorizontalScroll, freshPage, settled, stagedWorkspace, WIDTHS } from "./a11y-fixtures";
import { inviteMember, signInLocally } from "./fixtures";

/**
 * Every page, as a keyboard or screen-reader user and as someone on a phone meets it: axe finds
 * nothing serious or critical (WCAG 2.1 A and AA) at 1440 and 390 px, and at 390 px nothing
 * scrolls sideways and the main navigation can still be reached.
 */
const person = { name: "Ada Access", email: "ada@access.test" };
type Staged = Awaited<ReturnType<typeof stagedWorkspace>>;

interface Visit {
  name: string;
  path: (staged: Staged) => string;
  /** Signed out, or inside the shell with its navigation. */
  signedIn: boolean;
  shell: boolean;
}

const SIGNED_IN_PAGES: Visit[] = (
  [
    { name: "hosts list", path: () => "/hosts" },
    { name: "new host", path: () => "/hosts/new" },
    { name: "Docker host", path: (staged) => `/hosts/${staged.dockerHostId}` },
    { name: "Kubernetes host", path: (staged) => `/hosts/${staged.kubernetesHostId}` },
    { name: "profiles list", path: () => "/profiles" },
    { name: "new profile", path: () => "/profiles/new" },
    { name: "profile", path: (staged) => `/profiles/${staged.profileId}` },
    { name: "runs list", path: () => "/runs" },
    { name: "run", path: (staged) => staged.runPath },
    { name: "audit", path: () => "/audit" },
    { name: "usage", path: () => "/usage" },
    { name: "settings general", path: () => "/settings" },
    { name: "settings members", path: () => "/settings/members" },
    { name: "settings tokens", path: () => "/settings/tokens" },
    { name: "settings account", path: () => "/settings/account" },
  ] satisfies Pick<Visit, "name" | "path">[]
).map((visit) => ({ ...visit, signedIn: true, shell: true }));

const OTHER_PAGES: Visit[] = [
  { name: "onboarding (new workspace)", path: () => "/onboarding", signedIn: true, shell: false },
  { name: "not found (signed in)", path: () => "/no-such-page", signedIn: true, shell: false },
  { name: "sign in", path: () => "/signin", signedIn: false, shell: false },
  { name: "invite", path: (staged) => staged.inviteLink!, signedIn: false, shell: false },
  { name: "not found (signed out)", path: () => "/no-such-page", signedIn: false, shell: false },
];

/** The workspace every check looks at, with an open invite for the signed-out invite page. */
function staging(browser: Parameters<typeof stagedWorkspace>[0]): Promise<Staged> {
  return stagedWorkspace(browser, person, "Access", async (page) => ({ inviteLink: await inviteMember(page, "newcomer@access.test", []) }));
}

for (const visit of [...SIGNED_IN_PAGES, ...OTHER_PAGES]) {
  test(`${visit.name} passes axe at ${WIDTHS.join(" and ")} px and fits a phone`, async ({ browser }) => {
    test.setTimeout(120_000);
    const staged = await staging(browser);
    const page = await freshPage(browser, visit.signedIn ? person : null);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(visit.path(staged));
      await settled(page);
      const name = `${visit.name} at ${width} px`;
      await expectAccessible(page, name);
      if (width < 768) {
        await expectNoHorizontalScroll(page, name);
        if (visit.shell) await expectMainNavReachable(page, name);
      }
    }
    await page.context().close();
  });
}

test("on a phone the Menu button opens the navigation, and a link in it takes you there", async ({ page, browser }) => {
  await staging(browser);
  await signInLocally(page, person.name, person.email);
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/hosts");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Runs" })).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  // The menu folds away once you have gone somewhere.
  await expect(nav.getByRole("link", { name: "Runs" })).toBeHidden();
});

test("a keyboard user can skip the navigation straight to the page's content", async ({ page, browser }) => {
  await staging(browser);
  await signInLocally(page, person.name, person.email);
  await page.goto("/runs");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
