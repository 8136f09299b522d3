import { expect, type Page, test } from "@playwright/test";
import { acceptInvite, inviteMember, newWorkspace, signInLocally } from "./fixtures";
import { callProcedure } from "./operator-fixtures";

/**
 * An admin's pages read at a glance: the profiles list says which profiles would launch and why
 * not, the profile form offers only what the chosen host takes, the audit trail narrows by type
 * and person (in the URL) and links what it names, and actions confirm themselves.
 */
test.describe.configure({ mode: "serial" });

const admin = { name: "Ida Admin", email: "ida@admin-pages.example" };
const maker = { name: "Moe Maker", email: "moe@admin-pages.example" };
let workspaceId = "";

const toasts = (page: Page) => page.getByRole("status", { name: "Notifications" });

async function registerHost(page: Page, host: { name: string; kind: "docker" | "kubernetes"; workloadIdentity?: boolean }) {
  return callProcedure<{ id: string }>(page.request, "hosts.register", { workspaceId, runtimeFamilies: ["node"], workloadIdentity: false, ...host });
}

async function newProfileOnHost(page: Page, name: string, hostLabel: string) {
  await page.goto("/profiles/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("group", { name: "Where it runs" }).getByLabel("A specific host").check();
  await page.getByLabel("Host", { exact: true }).selectOption({ label: hostLabel });
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("the profiles list shows a ready profile and a refused one with its reason", async ({ page }) => {
  workspaceId = await newWorkspace(page, admin.name, admin.email, "Admin Pages");
  await registerHost(page, { name: "adm-eks", kind: "kubernetes" });
  await registerHost(page, { name: "adm-wi-eks", kind: "kubernetes", workloadIdentity: true });
  await registerHost(page, { name: "adm-docker", kind: "docker" });

  await newProfileOnHost(page, "Waiting jobs", "adm-eks — Kubernetes operator — Awaiting operator");
  await expect(toasts(page)).toContainText("Profile Waiting jobs created");

  await page.goto("/profiles");
  const ready = page.getByRole("row", { name: /Default/ }).getByTestId("profile-readiness");
  await expect(ready).toContainText("Ready");
  await expect(ready).toContainText("Lands on managed compute.");
  const refused = page.getByRole("row", { name: /Waiting jobs/ }).getByTestId("profile-readiness");
  await expect(refused).toContainText("Refused: Host not connected");
  await expect(refused).toContainText("Host adm-eks is not registered (awaiting operator)");
});

test("the profile form offers persistent workspaces and workload identity only where the host takes them", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/profiles/new");
  const where = page.getByRole("group", { name: "Where it runs" });
  await expect(where.getByLabel("Managed")).toBeChecked();
  await expect(page.getByLabel("Persistent workspace", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("note", { name: "Persistent workspace not available" })).toContainText("Persistent workspaces are for Local Docker hosts only.");
  await expect(page.getByLabel("Use a workload identity")).toHaveCount(0);
  await expect(page.getByRole("note", { name: "Workload identity not available" })).toContainText("needs a Kubernetes host with workload identity turned on");

  await where.getByLabel("A specific host").check();
  await page.getByLabel("Host", { exact: true }).selectOption({ label: "adm-docker — Local Docker — Awaiting operator" });
  await expect(page.getByLabel("Persistent workspace", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Use a workload identity")).toHaveCount(0);

  await page.getByLabel("Host", { exact: true }).selectOption({ label: "adm-eks — Kubernetes operator — Awaiting operator" });
  await expect(page.getByLabel("Use a workload identity")).toHaveCount(0);
  await expect(page.getByRole("note", { name: "Workload identity not available" })).toContainText("adm-eks has it off");

  await page.getByLabel("Host", { exact: true }).selectOption({ label: "adm-wi-eks — Kubernetes operator — Awaiting operator" });
  await expect(page.getByLabel("Use a workload identity")).toBeVisible();
  await expect(page.getByLabel("Persistent workspace", { exact: true })).toHaveCount(0);
});

test("a toast confirms saving a profile", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/profiles");
  await page.getByRole("link", { name: "Waiting jobs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Waiting jobs" })).toBeVisible();
  await page.getByRole("group", { name: "Where it runs" }).getByLabel("Managed").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText("Profile Waiting jobs saved");
  await page.goto("/profiles");
  await expect(page.getByRole("row", { name: /Waiting jobs/ }).getByTestId("profile-readiness")).toContainText("Ready");
});

test("audit filters by type and person narrow the rows, survive a reload, and a row links to what it names", async ({ page, browser }) => {
  await signInLocally(page, admin.name, admin.email);
  const link = await inviteMember(page, maker.email, ["profiles.manage"]);
  const context = await browser.newContext();
  const makerPage = await context.newPage();
  await acceptInvite(makerPage, link, maker.name, maker.email);
  await makerPage.goto("/profiles/new");
  await makerPage.getByLabel("Name", { exact: true }).fill("Moe's jobs");
  await makerPage.getByRole("button", { name: "Create profile" }).click();
  await expect(makerPage.getByRole("heading", { level: 1, name: "Moe's jobs" })).toBeVisible();
  await context.close();

  await page.goto("/audit");
  const table = page.getByRole("region", { name: "Audit events" }).getByRole("table");
  await expect(table).toContainText("Member invited");
  await page.getByLabel("Event type").selectOption({ label: "Profile created" });
  await expect(table.getByRole("row", { name: /Moe's jobs/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /Waiting jobs/ })).toBeVisible();
  await expect(table).not.toContainText("Member invited");

  await page.getByLabel("Person").selectOption({ label: maker.email });
  await expect(table.getByRole("row", { name: /Waiting jobs/ })).toHaveCount(0);
  await expect(table.getByRole("row")).toHaveCount(2); // the header and Moe's one row
  await expect(page).toHaveURL(/type=profile\.created/);
  await expect(page).toHaveURL(/actor=usr_/);

  await page.reload();
  await expect(page.getByLabel("Event type")).toHaveValue("profile.created");
  await expect(table.getByRole("row", { name: /Moe's jobs/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /Waiting jobs/ })).toHaveCount(0);
  await expect(table.getByRole("row")).toHaveCount(2);

  const row = table.getByRole("row", { name: /Moe's jobs/ });
  await expect(row).toContainText("Created the profile Moe's jobs on managed compute");
  await row.getByRole("cell").last().getByRole("link", { name: "Moe's jobs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Moe's jobs" })).toBeVisible();
  await expect(page).toHaveURL(/\/profiles\/prof_/);
});

test("opening a member's scope editor puts focus in it, closing gives it back, and saving confirms", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/settings/members");
  const row = page.getByRole("row", { name: new RegExp(maker.email) });
  const edit = row.getByRole("button", { name: "Edit scopes" });
  await edit.click();
  const editor = page.getByRole("form", { name: `Edit scopes for ${maker.email}` });
  await expect(editor.getByRole("checkbox").first()).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(edit).toBeFocused();

  await edit.click();
  await editor.getByLabel("runs.start").check();
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(toasts(page)).toContainText(`Scopes of ${maker.email} changed`);
  await expect(row).toContainText("runs.start");
  await expect(edit).toBeFocused();
});
