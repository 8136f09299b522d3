/**
 * First render of every page, as a person opening a link meets it: the built standalone server
 * (`npm run build` first) and Debian's Chromium. Each page is loaded two ways, LOADS times each
 * (after one warm-up), and the median reported:
 *   - "new tab": a fresh tab per load, so a renderer process that has not run the app yet (a
 *     link opened in a new tab, or the first visit of the day);
 *   - "same tab": a full page load in a tab that is already showing another platform page (a
 *     reload, a typed or bookmarked address, a link from a page that is not the app's own
 *     client-side navigation).
 * Three moments are recorded after navigation starts:
 *   - first contentful paint (the browser's own paint timing),
 *   - the main heading (the first h1 with text, laid out),
 *   - settled: that heading and no "Loading…" panel left (the page's data has arrived), which
 *     is where a waterfall of queries shows.
 * Beside them, to say why a page is slow: when the server's first byte arrived, and how many
 * tRPC calls the page made before it settled (a page that fetches its data from the browser
 * after hydrating pays those round trips on top of its HTML).
 * The floor: a static one-heading page from a bare Node server, loaded the same two ways, says
 * what Chromium itself takes to paint anything on this machine; each page's first paint is also
 * given as a ratio of it. The goal is a first render under 200 ms per page.
 */
import http from "node:http";
import net from "node:net";
import os from "node:os";
import type { BrowserContext } from "@playwright/test";
import { launchChromium, startStandalonePlatform } from "./standalone-platform";
import { emit, percentile } from "./measure";

const LOADS = Number(process.env.PAGE_RENDER_LOADS ?? 10);
/** PAGE_RENDER_ONLY="hosts list,run" measures only those pages (the floor is always measured). */
const ONLY = process.env.PAGE_RENDER_ONLY?.split(",").map((name) => name.trim());

/** Records, inside the page, when the heading appeared and when the loading panels had gone. */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__renderMarks = {});
  const check = () => {
    const heading = [...document.querySelectorAll("h1")].find((h) => h.textContent.trim() && h.getBoundingClientRect().height > 0);
    if (!heading) return;
    marks.heading ??= performance.now();
    const loading = [...document.querySelectorAll('[role="status"]')].some((s) => /^\\s*Loading\\b/.test(s.textContent));
    if (!loading) marks.settled ??= performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener("DOMContentLoaded", check);
})();`;

interface Marks {
  response: number | null;
  trpcCalls: number | null;
  fcp: number | null;
  heading: number | null;
  settled: number | null;
}

async function call<T>(context: BrowserContext, base: string, procedure: string, input: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const url = `${base}/api/trpc/${procedure}`;
  const response =
    kind === "query" ? await context.request.get(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`) : await context.request.post(url, { data: input, headers: { origin: base } });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok()) throw new Error(`${procedure}: ${body.error?.message ?? response.status()}`);
  return body.result!.data;
}

/** The first account, a workspace, a Docker host and a finished managed run: something on every page. */
async function stage(context: BrowserContext, base: string): Promise<Record<string, string>> {
  const page = await context.newPage();
  const password = "bench password for pages";
  await page.goto(`${base}/onboarding`);
  await page.getByLabel("Name").fill("Bea Bench");
  await page.getByLabel("Email").fill("bea@bench.test");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Workspace name").fill("Bench");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/hosts/);
  const [workspace] = await call<{ id: string }[]>(context, base, "workspaces.mine", undefined, "query");
  const workspaceId = workspace!.id;
  const host = await call<{ id: string }>(context, base, "hosts.register", { workspaceId, name: "build-docker", kind: "docker", runtimeFamilies: ["node"], workloadIdentity: false });
  const { items } = await call<{ items: { id: string; name: string }[] }>(context, base, "profiles.list", { workspaceId, limit: 10 }, "query");
  const profileId = items.find((item) => item.name === "Default")!.id;
  await page.goto(`${base}/profiles/${profileId}`);
  await page.getByLabel("First turn").fill("for i in $(seq 1 200); do echo line $i; done");
  await page.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/run_/);
  const runPath = new URL(page.url()).pathname;
  await page.getByText("line 200").first().waitFor({ timeout: 60_000 });
  await page.close();
  return { hostPath: `/hosts/${host.id}`, profilePath: `/profiles/${profileId}`, runPath };
}

type TabMode = "new tab" | "same tab";
const TAB_MODES: readonly TabMode[] = ["new tab", "same tab"];

/**
 * One load of url. "new tab" opens a fresh tab for it; "same tab" first shows `from` (another
 * page of the same site) in a tab and then loads url there as a full document load.
 */
async function loadOnce(context: BrowserContext, url: string, mode: TabMode, from: string): Promise<Marks> {
  const page = await context.newPage();
  try {
    // Waits out the first page's own work (hydration, its links' prefetches), as a person reading it would.
    if (mode === "same tab") await page.goto(from, { waitUntil: "networkidle" });
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(() => (window as unknown as { __renderMarks: { settled?: number } }).__renderMarks?.settled !== undefined, undefined, { timeout: 15_000 }).catch(() => undefined);
    // FCP is reported once painted; give the paint entry a frame to land.
    await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, undefined, { timeout: 5_000 }).catch(() => undefined);
    return await page.evaluate(() => {
      const marks = (window as unknown as { __renderMarks: { heading?: number; settled?: number } }).__renderMarks;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const settledAt = marks.settled ?? Number.POSITIVE_INFINITY;
      const trpcCalls = performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/api/trpc/") && entry.startTime <= settledAt).length;
      return { response: navigation ? navigation.responseStart : null, trpcCalls, fcp: fcp ? fcp.startTime : null, heading: marks.heading ?? null, settled: marks.settled ?? null };
    });
  } finally {
    await page.close();
  }
}

async function loadMany(context: BrowserContext, url: string, mode: TabMode, from: string): Promise<Marks[]> {
  await loadOnce(context, url, mode, from);
  const loads: Marks[] = [];
  for (let i = 0; i < LOADS; i += 1) loads.push(await loadOnce(context, url, mode, from));
  return loads;
}

function emitMedian(page: string, metric: string, values: (number | null)[]): number | undefined {
  const seen = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (seen.length < values.length) process.stderr.write(`page-render: ${page} ${metric} missing in ${values.length - seen.length} of ${values.length} loads\n`);
  if (seen.length === 0) return undefined;
  const p50 = percentile(seen, 50);
  emit({ bench: "page-render", metric: `${page} ${metric} p50`, value: p50, unit: "ms" });
  return p50;
}

/**
 * The floor: a static page with one heading, served by a bare Node server, in the same browser.
 * What Chromium itself takes here to paint anything at all, so each page's time reads against it.
 */
async function startBlankPage(): Promise<{ url: string; close(): Promise<void> }> {
  const html = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Blank</title></head><body><main><h1>Blank</h1></main></body></html>";
  const server = http.createServer((_request, response) => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function run(): Promise<void> {
  // Shared CPUs skew every number here; say how busy the machine was so readers can judge.
  process.stderr.write(`page-render: load average ${os.loadavg().map((load) => load.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs\n`);
  const platform = await startStandalonePlatform("pages", { PLATFORM_ADMIN_TOKEN: "bench-platform-admin-token-0123456789abcdef" });
  const { base } = platform;
  const browser = await launchChromium();
  try {
    const signedIn = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const staged = await stage(signedIn, base);
    await signedIn.addInitScript(MARKS_SCRIPT);
    const signedOut = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signedOut.addInitScript(MARKS_SCRIPT);

    const pages: [string, BrowserContext, string][] = [
      ["sign in", signedOut, "/signin"],
      ["hosts list", signedIn, "/hosts"],
      ["new host", signedIn, "/hosts/new"],
      ["host", signedIn, staged.hostPath!],
      ["profiles list", signedIn, "/profiles"],
      ["new profile", signedIn, "/profiles/new"],
      ["profile", signedIn, staged.profilePath!],
      ["runs list", signedIn, "/runs"],
      ["run", signedIn, staged.runPath!],
      ["audit", signedIn, "/audit"],
      ["usage", signedIn, "/usage"],
      ["settings general", signedIn, "/settings"],
      ["settings members", signedIn, "/settings/members"],
      ["settings tokens", signedIn, "/settings/tokens"],
      ["settings account", signedIn, "/settings/account"],
      ["onboarding", signedIn, "/onboarding"],
      ["not found", signedIn, "/no-such-page"],
    ];
    const blank = await startBlankPage();
    const floor = new Map<TabMode, number | undefined>();
    try {
      for (const mode of TAB_MODES) {
        const loads = await loadMany(signedOut, blank.url, mode, `${blank.url}?from`);
        floor.set(mode, emitMedian(`blank page ${mode}`, "first contentful paint", loads.map((load) => load.fcp)));
      }
    } finally {
      await blank.close();
    }
    // The page a "same tab" load comes from: a small page of the platform that needs no data.
    const from = `${base}/no-such-page`;
    for (const [name, context, pagePath] of pages) {
      if (ONLY && !ONLY.includes(name)) continue;
      for (const mode of TAB_MODES) {
        const loads = await loadMany(context, `${base}${pagePath}`, mode, from);
        const label = `${name} ${mode}`;
        emitMedian(label, "server response", loads.map((load) => load.response));
        const fcp = emitMedian(label, "first contentful paint", loads.map((load) => load.fcp));
        const modeFloor = floor.get(mode);
        if (fcp !== undefined && modeFloor) emit({ bench: "page-render", metric: `${label} first contentful paint vs a blank page`, value: fcp / modeFloor, unit: "ratio" });
        emitMedian(label, "main heading", loads.map((load) => load.heading));
        emitMedian(label, "settled", loads.map((load) => load.settled));
        const calls = loads.map((load) => load.trpcCalls ?? 0).sort((a, b) => a - b);
        // A count is not one of the benchmark units; it goes beside the numbers, to explain them.
        process.stderr.write(`page-render: ${label} makes ${percentile(calls, 50)} tRPC call(s) before it settles\n`);
      }
    }
  } finally {
    await browser.close();
    await platform.stop();
  }
}
