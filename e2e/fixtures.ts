import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";

export const baseURL = () => process.env.E2E_BASE_URL!;

/**
 * People in the e2e story and their passwords. Production has no passwordless sign-in, so each
 * person gets a real account the first time a spec needs them, through the real pages: the very
 * first person through onboarding's first-account form, everyone else through a one-time link
 * (the platform operator's admin API, or a workspace invite). Kept in the run's data folder so a
 * restarted worker remembers who exists.
 */
const accountsFile = () => path.join(process.env.E2E_DATA_DIR!, "e2e-accounts.json");

function knownAccounts(): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(accountsFile(), "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

function remember(email: string, password: string): void {
  fs.writeFileSync(accountsFile(), JSON.stringify({ ...knownAccounts(), [email]: password }));
}

export function passwordOf(email: string): string {
  return knownAccounts()[email] ?? `e2e password for ${email}`;
}

export function hasAccount(email: string): boolean {
  return email in knownAccounts();
}

/** Signs in with email and password through the sign-in form, the way a person does. */
export async function signInWithPassword(page: Page, email: string, password = passwordOf(email)): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/** Fills the invite page's "Create your account" form and waits until it has signed in. */
export async function createAccountFromInvite(page: Page, link: string, name: string, email: string): Promise<void> {
  const password = passwordOf(email);
  await page.goto(link);
  await page.getByRole("heading", { name: "Create your account" }).waitFor();
  await page.getByLabel("Name").fill(name);
  const emailField = page.getByLabel("Email");
  if (await emailField.isEditable()) await emailField.fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL((url) => url.pathname === "/onboarding" || url.pathname === "/hosts");
  remember(email, password);
}

/** The platform operator's one-time account link (admin API). */
export async function accountLink(email: string): Promise<string> {
  const response = await fetch(`${baseURL()}/api/admin/invites`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { link: string }).link;
}

async function firstAccountOpen(page: Page): Promise<boolean> {
  const setup = await page.request.get(`${baseURL()}/api/trpc/account.setup`);
  return ((await setup.json()) as { result: { data: { firstAccountOpen: boolean } } }).result.data.firstAccountOpen;
}

/**
 * Signs `email` in, creating their account first if this run has not yet: the install's first
 * person through onboarding, anyone else through an account link from the platform operator.
 */
export async function signInLocally(page: Page, name: string, email: string): Promise<void> {
  if (hasAccount(email)) return signInWithPassword(page, email);
  const password = passwordOf(email);
  if (await firstAccountOpen(page)) {
    await page.goto("/onboarding");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Repeat the password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Create your workspace" })).toBeVisible();
    remember(email, password);
    return;
  }
  await createAccountFromInvite(page, await accountLink(email), name, email);
}

/** On Settings → Members: invites `email` with `scopes` and returns the link, shown once. */
export async function inviteMember(page: Page, email: string, scopes: string[]): Promise<string> {
  await page.goto("/settings/members");
  await page.getByLabel("Email").fill(email);
  const group = page.getByRole("group", { name: /scopes/i });
  for (const scope of scopes) await group.getByLabel(scope).check();
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("invite-link")).toBeVisible();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();
  expect(link).toMatch(/\/invite#dpi_/);
  return link;
}

/** The invited person opens the link: with an account they sign in and join; without, they create one. */
export async function acceptInvite(page: Page, link: string, name: string, email: string): Promise<void> {
  if (!hasAccount(email)) return createAccountFromInvite(page, link, name, email);
  await signInWithPassword(page, email);
  await page.goto(link);
  await page.getByRole("button", { name: `Join as ${email}` }).click();
  await page.waitForURL((url) => url.pathname === "/hosts");
}

/** Signs in a new person and creates their workspace; returns its id. */
export async function newWorkspace(page: Page, name: string, email: string, workspace: string): Promise<string> {
  await signInLocally(page, name, email);
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/hosts/);
  const mine = await page.request.get(`${baseURL()}/api/trpc/workspaces.mine`);
  const body = (await mine.json()) as { result: { data: { id: string; name: string }[] } };
  return body.result.data.find((w) => w.name === workspace)!.id;
}

/** The platform operator's call (a billing system's, in production) that sets a workspace's plan. */
export async function setPlan(workspaceId: string, plan: "team" | "enterprise"): Promise<void> {
  const response = await fetch(`${baseURL()}/api/admin/workspaces/${workspaceId}/plan`, {
    method: "PUT",
    headers: { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ plan }),
  });
  expect(response.status).toBe(200);
}

const run = promisify(execFile);

/** Runs the README's internal tool (`e2e/tools/list-hosts.mts`) as a plain Node process. */
export async function runListHostsTool(token: string): Promise<{ ok: true; output: unknown } | { ok: false; stderr: string }> {
  const root = path.resolve(__dirname, "..");
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "e2e/tools/list-hosts.mts"], {
      cwd: root,
      env: { ...process.env, DP_URL: baseURL(), DP_TOKEN: token },
      timeout: 30_000,
    });
    return { ok: true, output: JSON.parse(stdout.trim().split("\n").at(-1)!) };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}
