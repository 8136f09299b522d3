import { expect, test } from "@playwright/test";
import { newWorkspace } from "./fixtures";
import { callProcedure, registerHostByApi } from "./operator-fixtures";

/**
 * A page's data is in the server's first HTML (prefetched into the query cache the browser picks
 * up), not fetched by the browser after its JavaScript has loaded: with JavaScript off, the signed-in
 * pages still show their heading and facts, and no "Loading…" panel.
 */
const owner = { name: "Fern First", email: "fern@first-render.example" };

test("the profile page and the profiles list show their data with JavaScript off", async ({ page, browser }) => {
  await newWorkspace(page, owner.name, owner.email, "First Render");
  await page.goto("/profiles");
  await page.getByRole("link", { name: "Default", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
  const profilePath = new URL(page.url()).pathname;

  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  try {
    const bare = await noScript.newPage();
    await bare.goto(profilePath);
    await expect(bare.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
    // profiles.resolve's answer, from the resolution panel.
    await expect(bare.getByText("Launches land on managed compute.")).toBeVisible();
    await expect(bare.getByRole("status").filter({ hasText: /^\s*Loading/ })).toHaveCount(0);

    await bare.goto("/profiles");
    await expect(bare.getByRole("row", { name: /Default/ })).toBeVisible();
    await expect(bare.getByRole("status").filter({ hasText: /^\s*Loading/ })).toHaveCount(0);

    await bare.goto("/settings/members");
    await expect(bare.getByRole("row", { name: new RegExp(owner.email) })).toBeVisible();
  } finally {
    await noScript.close();
  }
});

test("the runs list (under a link's search) and a host's page show their data with JavaScript off", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const workspaceId = await newWorkspace(page, "Hal Hydrate", "hal@first-render.example", "First Render Runs");
  const { items } = await callProcedure<{ items: { id: string; name: string }[] }>(page.request, "profiles.list", { workspaceId, limit: 50 }, "query");
  const profileId = items.find((item) => item.name === "Default")!.id;
  // Two runs; the link's search names only one of them.
  await callProcedure(page.request, "runs.start", { workspaceId, profileId, input: "echo wanted-walrus" });
  await callProcedure(page.request, "runs.start", { workspaceId, profileId, input: "echo other-otter" });
  const host = await registerHostByApi(page.request, workspaceId, { name: "render-docker", kind: "docker" });

  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  try {
    const bare = await noScript.newPage();
    await bare.goto("/runs?q=walrus");
    const runRows = bare.getByRole("table").getByRole("row").filter({ has: bare.getByRole("link") });
    await expect(runRows.filter({ hasText: "echo wanted-walrus" })).toBeVisible();
    await expect(runRows.filter({ hasText: "other-otter" })).toHaveCount(0);
    await expect(bare.getByRole("searchbox")).toHaveValue("walrus");
    await expect(bare.getByRole("status").filter({ hasText: /^\s*Loading/ })).toHaveCount(0);

    await bare.goto(`/hosts/${host.id}`);
    await expect(bare.getByRole("heading", { level: 1, name: "render-docker" })).toBeVisible();
    await expect(bare.getByRole("heading", { name: "Profiles on this host" })).toBeVisible();
    await expect(bare.getByRole("status").filter({ hasText: /^\s*Loading/ })).toHaveCount(0);

    await bare.goto("/hosts");
    await expect(bare.getByRole("row", { name: /render-docker/ })).toBeVisible();

    // The trail names the host and the runs: all of it in the first HTML, with no panel waiting to be swapped in.
    await bare.goto("/audit");
    await expect(bare.getByRole("row", { name: /render-docker/ })).toBeVisible();
    await expect(bare.getByRole("status").filter({ hasText: /^\s*Loading/ })).toHaveCount(0);
  } finally {
    await noScript.close();
  }
});
