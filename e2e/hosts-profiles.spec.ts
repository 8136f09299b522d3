import { expect, test } from "@playwright/test";
import { acceptInvite, inviteMember, newWorkspace, setPlan, signInLocally } from "./fixtures";

/**
 * An admin decides where work runs: registers a cluster, points a profile at it, sees the
 * resolver refuse while no operator is connected, and moves the profile back to managed.
 */
test.describe.configure({ mode: "serial" });

const admin = { name: "Hana Host", email: "hana@orbit.example" };
const viewer = { name: "Vik Viewer", email: "vik@orbit.example" };

test("an admin registers prod-eks and sees it Awaiting operator", async ({ page }) => {
  await newWorkspace(page, admin.name, admin.email, "Orbit");
  await page.goto("/hosts");
  await page.getByRole("link", { name: "Register host" }).click();
  await page.getByRole("group", { name: "Kind" }).getByLabel("Kubernetes operator").check();
  await page.getByLabel("Name", { exact: true }).fill("prod-eks");
  const families = page.getByRole("group", { name: "Runtime families" });
  await families.getByLabel("node", { exact: true }).check();
  await families.getByLabel("python", { exact: true }).check();
  await page.getByRole("button", { name: "Register host" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "prod-eks" })).toBeVisible();
  await expect(page.getByText("Awaiting operator").first()).toBeVisible();

  await page.goto("/hosts");
  const row = page.getByRole("row", { name: /prod-eks/ });
  await expect(row).toContainText("Kubernetes operator");
  await expect(row).toContainText("Awaiting operator");
  await expect(row).toContainText("node");
  await expect(row).toContainText("python");
});

test("bad names get a field error and nothing is registered", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/hosts/new");
  await page.getByLabel("Name", { exact: true }).fill("Prod EKS");
  await page.getByRole("group", { name: "Runtime families" }).getByLabel("node", { exact: true }).check();
  await page.getByRole("button", { name: "Register host" }).click();
  // The validation message, not the field's hint (which also mentions the rule).
  await expect(page.getByText("Use lowercase letters, digits and dashes, starting and ending with a letter or digit")).toBeVisible();
  await page.goto("/hosts");
  await expect(page.getByRole("row", { name: /Prod EKS/i })).toHaveCount(0);
});

test("a profile name with a text-direction override gets the field message and nothing is created", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/profiles");
  await page.getByRole("link", { name: "New profile" }).click();
  // Would display as "invoicefdp.exe": the override reverses what follows it.
  await page.getByLabel("Name", { exact: true }).fill("invoice\u202Eexe.pdf");
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByText("Names cannot contain control characters or text-direction marks")).toBeVisible();
  await page.goto("/profiles");
  await expect(page.getByText(/invoice/)).toHaveCount(0);
});

test("a profile on a host without an operator is refused, and on Managed it resolves", async ({ page }) => {
  await signInLocally(page, admin.name, admin.email);
  await page.goto("/profiles");
  await page.getByRole("link", { name: "New profile" }).click();
  await page.getByLabel("Name", { exact: true }).fill("EKS jobs");
  await page.getByRole("group", { name: "Where it runs" }).getByLabel("A specific host").check();
  await page.getByLabel("Host", { exact: true }).selectOption({ label: "prod-eks — Kubernetes operator — Awaiting operator" });
  await page.getByRole("button", { name: "Create profile" }).click();

  const landing = page.getByRole("region", { name: "Where a launch would land right now" });
  await expect(landing).toContainText("A launch would be refused");
  await expect(landing).toContainText("Host prod-eks is not registered (awaiting operator): new work launches only on a registered host.");
  await expect(landing).toContainText("Install its operator");

  await page.getByRole("group", { name: "Where it runs" }).getByLabel("Managed").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(landing).toContainText("Launches land on managed compute.");
});

test("a member with only hosts.read sees hosts but cannot register or edit", async ({ page, browser }) => {
  await signInLocally(page, admin.name, admin.email);
  const link = await inviteMember(page, viewer.email, []);

  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await acceptInvite(viewerPage, link, viewer.name, viewer.email);
  await viewerPage.goto("/hosts");
  await expect(viewerPage.getByRole("row", { name: /prod-eks/ })).toBeVisible();
  await expect(viewerPage.getByRole("link", { name: "Register host" })).toHaveCount(0);
  await viewerPage.getByRole("link", { name: "prod-eks" }).click();
  await expect(viewerPage.getByRole("heading", { level: 1, name: "prod-eks" })).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Delete host" })).toHaveCount(0);
  await context.close();
});

test("a workspace without the bring-your-own entitlement sees no Register button", async ({ page }) => {
  const workspaceId = await newWorkspace(page, "Tia Team", "tia@smallco.example", "Small Co");
  await page.goto("/hosts");
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox hosts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register host" })).toBeVisible();

  await setPlan(workspaceId, "team");
  await page.reload();
  await expect(page.getByText("Bring-your-own hosts are not included in this workspace's plan.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Register host" })).toHaveCount(0);
});
