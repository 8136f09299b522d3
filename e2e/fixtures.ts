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
