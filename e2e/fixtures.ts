import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";

export const baseURL = () => process.env.E2E_BASE_URL!;

/** Signs in through the local sign-in form, the way a person does. */
export async function signInLocally(page: Page, name: string, email: string): Promise<void> {
  await page.goto("/signin");
  await expect(page.getByText(/local sign-in/i).first()).toBeVisible();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
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
