import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { acceptInvite, baseURL, inviteMember, passwordOf, signInLocally, signInWithPassword } from "./fixtures";

/**
 * Sign-in that proves who you are, and sessions that end (issue 10 items 2 and 3), against the
 * production server (`npm start`): the first account is made in onboarding, everyone else
 * arrives by a one-time link, an email alone opens nothing, and a copied cookie dies with its
 * session. This file runs first, so it meets a fresh install.
 */
test.describe.configure({ mode: "serial" });

const first = { name: "Fay First", email: "fay@first.example" };
const member = { name: "Mel Member", email: "mel@first.example" };
/** Secrets this file handles, for the last test to look for in the server's log. */
const secrets: string[] = [];

/** Whether a browser context holding these cookies is signed in, asked of the API the pages use. */
async function signedIn(browser: Browser, cookies: Awaited<ReturnType<BrowserContext["cookies"]>>): Promise<boolean> {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const response = await context.request.get(`${baseURL()}/api/trpc/workspaces.mine`);
  await context.close();
  return response.status() === 200;
}

async function signOut(page: Page): Promise<void> {
  await page.goto("/hosts");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
}

test("a fresh install offers to create the first account, and only once", async ({ page, browser }) => {
  await page.goto("/signin");
  await expect(page.getByText("Nobody has an account here yet")).toBeVisible();
  await signInLocally(page, first.name, first.email);
  await page.getByLabel("Workspace name").fill("First Light");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/hosts/);

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto("/signin");
  await expect(stranger.getByLabel("Password", { exact: true })).toBeVisible();
  await expect(stranger.getByText("Nobody has an account here yet")).toHaveCount(0);
  await stranger.goto("/onboarding");
  await expect(stranger).toHaveURL(/\/signin/);
  // Straight at the API, the first account is refused too.
  const late = await stranger.request.post(`${baseURL()}/api/trpc/account.createFirst`, {
    headers: { "content-type": "application/json", origin: baseURL() },
    data: { name: "Late", email: "late@first.example", password: "a late person's password" },
  });
  expect(late.status()).toBe(409);
  await stranger.context().close();
});

test("knowing an email is not enough: a wrong password, or none, signs nobody in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(first.email);
  await page.getByLabel("Password", { exact: true }).fill("not fay's password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);

  // next-auth's credentials endpoint, posted the way development's name + email form would.
  const csrf = ((await (await page.request.get(`${baseURL()}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
  await page.request.post(`${baseURL()}/api/auth/callback/local`, { form: { csrfToken: csrf, name: first.name, email: first.email, json: "true" } });
  expect((await page.request.get(`${baseURL()}/api/trpc/workspaces.mine`)).status()).toBe(401);
});

test("a flood of tries against one account is refused, even with the right password, saying when to retry", async ({ page, browser }) => {
  const victim = { name: "Vic Victim", email: "vic@first.example" };
  const setup = await (await browser.newContext()).newPage();
  await signInLocally(setup, victim.name, victim.email);
  await setup.context().close();

  await page.goto("/signin");
  for (let i = 0; i < 5; i += 1) {
    await page.getByLabel("Email").fill(victim.email);
    await page.getByLabel("Password", { exact: true }).fill(`guess number ${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
  }
  await page.getByLabel("Email").fill(victim.email);
  await page.getByLabel("Password", { exact: true }).fill(passwordOf(victim.email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText(/^Too many failed sign-in attempts for this account\. Try again in 1[45] minutes\.$/)).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("signing out ends the session: a copy of the cookie made before is refused after", async ({ page, browser }) => {
  await signInWithPassword(page, first.email);
  const copied = await page.context().cookies();
  expect(await signedIn(browser, copied)).toBe(true);
  await signOut(page);
  expect(await signedIn(browser, copied)).toBe(false);
});

test("invite links work once, and the person who joins is refused once removed, cookie and all", async ({ page, browser }) => {
  await signInWithPassword(page, first.email);
  const link = await inviteMember(page, member.email, ["runs.start"]);
  secrets.push(link.slice(link.indexOf("#") + 1), passwordOf(member.email), passwordOf(first.email));

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await acceptInvite(memberPage, link, member.name, member.email);
  await expect(memberPage).toHaveURL(/\/hosts/);
  const copied = await memberContext.cookies();

  // The same link again, by anyone, says it was used.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByText(/already used/)).toBeVisible();
  await other.context().close();

  await page.goto("/settings/members");
  const row = page.getByRole("row", { name: new RegExp(member.email) });
  await row.getByRole("button", { name: "Remove" }).click();
  await row.getByRole("button", { name: /yes, remove/i }).click();
  await expect(page.getByRole("row", { name: new RegExp(member.email) })).toHaveCount(0);

  expect(await signedIn(browser, copied)).toBe(false);
  await memberPage.goto("/hosts");
  await expect(memberPage).toHaveURL(/\/signin/);
  await memberContext.close();
});

test("changing the password ends every session: a copied cookie is refused, this browser signs in again", async ({ page, browser }) => {
  const elsewhere = await (await browser.newContext()).newPage();
  await signInWithPassword(elsewhere, member.email);
  const copied = await elsewhere.context().cookies();
  // Mel has no workspace any more (removed above), so she lands in onboarding and makes her own.
  await signInWithPassword(page, member.email);
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Workspace name").fill("Mel's own");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/hosts/);

  await page.goto("/settings/account");
  await page.getByLabel("Current password").fill(passwordOf(member.email));
  await page.getByLabel("New password", { exact: true }).fill("mel's brand new password");
  await page.getByLabel("Repeat the password").fill("mel's brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();

  expect(await signedIn(browser, copied)).toBe(false);
  // This browser signed in again with the new password.
  expect((await page.request.get(`${baseURL()}/api/trpc/workspaces.mine`)).status()).toBe(200);
  await elsewhere.context().close();

  // The old password is gone; the new one works.
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto("/signin");
  await fresh.getByLabel("Email").fill(member.email);
  await fresh.getByLabel("Password", { exact: true }).fill(passwordOf(member.email));
  await fresh.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(fresh.getByText("Wrong email or password.")).toBeVisible();
  await signInWithPassword(fresh, member.email, "mel's brand new password");
  await expect(fresh).toHaveURL(/\/hosts/);
  await fresh.context().close();
});

test("a mangled invite link is explained, not an error page", async ({ page }) => {
  await page.goto("/invite#dpi_cut-short");
  await expect(page.getByText("This is not an invite link. Copy the whole link you were sent.")).toBeVisible();
  await page.goto("/signin");
  await page.goto(`/invite#dpi_${"A".repeat(43)}`);
  await expect(page.getByText(/This invite link is not valid/)).toBeVisible();
});

test("the server's log holds no invite token and no password", () => {
  const log = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8");
  expect(secrets).toHaveLength(3);
  for (const secret of [...secrets, "mel's brand new password"]) expect(log.includes(secret)).toBe(false);
  expect(log).toContain("auth.sessions_ended");
});
