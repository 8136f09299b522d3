import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { acceptInvite, baseURL, inviteMember, runListHostsTool, signInLocally } from "./fixtures";

/**
 * The first morning on a fresh install: the first person signs in, creates the workspace,
 * invites a teammate with only hosts.read, and makes an API token for an internal tool; the
 * teammate signs in and finds member management closed to them.
 */
test.describe.configure({ mode: "serial" });

const owner = { name: "Ada Admin", email: "ada@acme.example" };
const reader = { name: "Rita Reader", email: "rita@acme.example" };
let bearer = "";

test("the production server asks for a password: there is no sign-in with a name and email alone", async ({ page }) => {
  await page.goto("/hosts");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByLabel("Password", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveCount(0);
  await expect(page.getByText(/no password/i)).toHaveCount(0);
});

test("the first person creates the workspace and lands in the shell", async ({ page }) => {
  await signInLocally(page, owner.name, owner.email);
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Workspace name").fill("Acme Agents");
  await page.getByRole("button", { name: /create workspace/i }).click();
  await expect(page).toHaveURL(/\/hosts/);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ["Hosts", "Profiles", "Runs", "Audit", "Usage", "Settings"]) {
    await expect(nav.getByRole("link", { name: item })).toBeVisible();
  }
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox hosts" })).toBeVisible();
  // A new workspace has no runs yet, and the Runs page says where to start one.
  await nav.getByRole("link", { name: "Runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(page.getByText("No runs yet.")).toBeVisible();
});

test("the owner invites a teammate with only hosts.read, and the teammate joins through the link", async ({ page, browser }) => {
  await signInLocally(page, owner.name, owner.email);
  await page.goto("/settings/members");
  const scopes = page.getByRole("group", { name: /scopes/i });
  for (const scope of ["hosts.manage", "profiles.manage", "runs.start", "audit.read", "members.manage"]) {
    await expect(scopes.getByLabel(scope)).not.toBeChecked();
  }
  const link = await inviteMember(page, reader.email, []);
  const pending = page.getByRole("list", { name: "Pending invites" }).getByRole("listitem").filter({ hasText: reader.email });
  await expect(pending.getByText("hosts.read")).toBeVisible();
  await expect(pending.getByText("audit.read")).toHaveCount(0);

  const readerContext = await browser.newContext();
  await acceptInvite(await readerContext.newPage(), link, reader.name, reader.email);
  await readerContext.close();

  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(reader.email) });
  await expect(row).toBeVisible();
  await expect(row.getByText("hosts.read")).toBeVisible();
  await expect(row.getByText("audit.read")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Pending invites" })).toHaveCount(0);
});

test("an API token works from a plain Node script, then stops working once revoked", async ({ page, request }) => {
  await signInLocally(page, owner.name, owner.email);
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("hosts inventory");
  const scopes = page.getByRole("group", { name: /scopes/i });
  await scopes.getByLabel("hosts.read").check();
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token-value");
  await expect(shown).toHaveText(/^dpt_/);
  bearer = (await shown.textContent())!.trim();

  const allowed = await runListHostsTool(bearer);
  expect(allowed).toEqual({ ok: true, output: { workspace: "Acme Agents", scopes: ["hosts.read"], hosts: [] } });

  // The value is shown once: after dismissing it, the page only has the preview.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
  await expect(page.getByText(bearer)).toHaveCount(0);

  const item = page.getByRole("list", { name: "API tokens" }).getByRole("listitem").filter({ hasText: "hosts inventory" });
  await expect(item.getByText("active", { exact: true })).toBeVisible();
  await item.getByRole("button", { name: "Revoke" }).click();
  await item.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(item.getByText("revoked", { exact: true })).toBeVisible();

  const refused = await runListHostsTool(bearer);
  expect(refused.ok).toBe(false);
  expect(refused.ok ? "" : refused.stderr).toContain("The API token is not valid");

  const raw = await request.get(`${baseURL()}/api/trpc/workspaces.mine`, { headers: { authorization: `Bearer ${bearer}` } });
  expect(raw.status()).toBe(401);
  expect((await raw.json()).error.data.code).toBe("UNAUTHORIZED");
});

test("the audit trail lists what happened, newest first, filterable by type", async ({ page }) => {
  await signInLocally(page, owner.name, owner.email);
  await page.goto("/audit");
  const auditTable = page.getByRole("region", { name: "Audit events" }).getByRole("table");
  const rows = auditTable.getByRole("row");
  await expect(rows.nth(1)).toContainText("API token revoked");
  await expect(rows.nth(2)).toContainText("API token created");
  await expect(auditTable).toContainText("Member joined");
  await expect(auditTable).toContainText("Workspace created");
  await expect(auditTable).not.toContainText(bearer.slice(-20));

  await page.getByLabel("Event type").selectOption("member.added");
  await expect(auditTable).not.toContainText("API token created");
  await expect(auditTable).toContainText(reader.email);
});

test("a member without members.manage cannot reach member management", async ({ page }) => {
  await signInLocally(page, reader.name, reader.email);
  await expect(page).toHaveURL(/\/hosts/);
  await expect(page.getByRole("combobox", { name: /workspace/i }).or(page.getByText("Acme Agents")).first()).toBeVisible();

  await page.goto("/settings");
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" })).toHaveCount(0);
  await page.goto("/settings/members");
  await expect(page.getByText("You need the members.manage scope to manage members.")).toBeVisible();
  await expect(page.getByText(owner.email)).toHaveCount(0);

  await page.goto("/audit");
  await expect(page.getByText("You need the audit.read scope to see the audit trail.")).toBeVisible();
});

test("a cookie-authenticated write from a foreign origin is refused", async ({ page }) => {
  await signInLocally(page, owner.name, owner.email);
  await expect(page).toHaveURL(/\/hosts/);
  // page.request carries this browser's session cookie; only the Origin is foreign.
  const forged = await page.request.post(`${baseURL()}/api/trpc/workspaces.create`, {
    headers: { "content-type": "application/json", origin: "http://evil.example" },
    data: { name: "Hijacked" },
  });
  expect(forged.status()).toBe(401);
  // The same call from our own origin goes through, so it was the Origin that was refused.
  const own = await page.request.post(`${baseURL()}/api/trpc/workspaces.create`, {
    headers: { "content-type": "application/json", origin: baseURL() },
    data: { name: "Second team" },
  });
  expect(own.status()).toBe(200);
});

test("the shell works at phone width behind a Menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInLocally(page, owner.name, owner.email);
  await expect(page).toHaveURL(/\/hosts/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Audit" })).toBeHidden();
  await page.getByRole("button", { name: /menu/i }).click();
  await nav.getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/audit/);
});

test("the server's log is structured, carries request ids, and never holds the token", () => {
  const lines = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8").split("\n").filter((line) => line.startsWith("{"));
  const events = lines.map((line) => JSON.parse(line) as { event: string; requestId?: string });
  const calls = events.filter((event) => event.event === "trpc.call");
  expect(calls.length).toBeGreaterThan(10);
  expect(calls.every((call) => typeof call.requestId === "string" && call.requestId.length > 8)).toBe(true);
  const secret = bearer.slice(-43);
  expect(secret).toHaveLength(43);
  expect(lines.filter((line) => line.includes(secret))).toEqual([]);
});
