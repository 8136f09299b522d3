import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests click through the real pages of the built standalone server (`npm run
 * build` first), in Debian's Chromium: Playwright never downloads a browser here. Each run gets
 * a fresh data folder, so the first person to sign in meets a fresh install.
 */
const port = Number(process.env.E2E_PORT ?? 3107);
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "dp-e2e-"));
process.env.E2E_BASE_URL = `http://127.0.0.1:${port}`;
// The platform operator's admin token, so specs can put a workspace on a plan without BYO hosts.
process.env.E2E_ADMIN_TOKEN ??= "e2e-platform-admin-token-0123456789abcdef";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One server, one data folder: the specs build on a shared story, so they run in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  // The sign-in spec meets a fresh install (nobody has an account yet), so it runs before every
  // other spec, whatever their names sort as.
  projects: [
    { name: "fresh-install", testMatch: "auth.spec.ts", use: { browserName: "chromium" } },
    { name: "chromium", testIgnore: "auth.spec.ts", dependencies: ["fresh-install"], use: { browserName: "chromium" } },
  ],
  webServer: {
    // The server's log goes to a file the last spec reads: no secret may appear in it.
    command: `node scripts/start-standalone.mjs > "${process.env.E2E_DATA_DIR}/server.log" 2>&1`,
    url: `${process.env.E2E_BASE_URL}/__ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: process.env.E2E_DATA_DIR,
      LOG_FORMAT: "json",
      PLATFORM_ADMIN_TOKEN: process.env.E2E_ADMIN_TOKEN,
    },
  },
});
