import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { baseURL, newWorkspace, signInLocally } from "./fixtures";

/**
 * The web surface, tried as an attacker would (issue 10 items 4 and 5): every response carries
 * the security headers, redirects stay on the site, another site cannot frame the platform, and
 * bodies over the cap are refused without being read. Also: the strict CSP breaks no page.
 */
test.describe.configure({ mode: "serial" });

const person = { name: "Wes Webb", email: "wes@surface.example" };
let workspaceId = "";

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP`).not.toContain("'unsafe-inline'");
  expect(csp, `${what}: CSP`).not.toContain("'unsafe-eval'");
  expect(headers["x-content-type-options"], `${what}: nosniff`).toBe("nosniff");
  expect(headers["referrer-policy"], `${what}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], `${what}: X-Frame-Options`).toBe("DENY");
}

/** Collects the browser's CSP violation reports while `work` runs. */
async function cspViolations(page: Page, work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) seen.push(message.text());
  });
  await work();
  return seen;
}

test("every response carries the security headers: a page, an API route, a 404, an error, a static file", async ({ request }) => {
  const page = await request.get("/signin");
  expect(page.status()).toBe(200);
  expectSecurityHeaders(page.headers(), "page");
  // A page's policy carries a fresh nonce each time, and scripts run only with it.
  const nonce = /'nonce-([^']+)'/.exec(page.headers()["content-security-policy"]!)?.[1];
  expect(nonce).toBeTruthy();
  const again = await request.get("/signin");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce!);
  const html = await page.text();
  expect(html).toContain(`nonce="${nonce}"`);

  const api = await request.get("/api/trpc/workspaces.mine");
  expect(api.status()).toBe(401);
  expectSecurityHeaders(api.headers(), "API route");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");

  const missing = await request.get("/no-such-page-here");
  expect(missing.status()).toBe(404);
  expectSecurityHeaders(missing.headers(), "404 page");
  await expect(missing.text()).resolves.toContain("Page not found");

  const error = await request.post("/api/operators/token", { headers: { "content-type": "application/json" }, data: "{not json" });
  expect(error.status()).toBe(400);
  expectSecurityHeaders(error.headers(), "error answer");

  const badRun = await request.get("/api/runs/not-a-run/events");
  expect(badRun.status()).toBe(400);
  expectSecurityHeaders(badRun.headers(), "error answer of the stream route");

  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  const asset = await request.get(script!);
  expect(asset.status()).toBe(200);
  expectSecurityHeaders(asset.headers(), "static file");
  expectSecurityHeaders((await request.get("/logo.svg")).headers(), "public file");
  expectSecurityHeaders((await request.get("/__ready")).headers(), "readiness probe");
});

test("the strict policy breaks no page: sign-in, onboarding and every section render with no CSP violation", async ({ page }) => {
  const violations = await cspViolations(page, async () => {
    workspaceId = await newWorkspace(page, person.name, person.email, "Surface Team");
    for (const [path, heading] of [
      ["/hosts", "Sandbox hosts"],
      ["/profiles", "Sandbox profiles"],
      ["/runs", "Runs"],
      ["/usage", "Usage"],
      ["/settings/members", "Settings"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    }
    // Client-side navigation works too (the scripts run).
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Hosts" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sandbox hosts" })).toBeVisible();
  });
  expect(violations).toEqual([]);
  expect(workspaceId).toMatch(/^ws_/);
});

const REDIRECT_TRICKS = [
  "https://evil.example/",
  "//evil.example/",
  "/.//evil.example/",
  "/x/..//evil.example/",
  "///evil.example/",
  "/\\evil.example/",
  "\\\\evil.example/",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "/%2f%2fevil.example/",
  "/%5cevil.example/",
  "/%09/evil.example/",
  "%2f%2fevil.example",
  "javascript:alert(document.domain)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "http://127.0.0.1:1/",
  "/%E0%A4%A",
  "/" + "a".repeat(10_000),
];

function sameSite(location: string | undefined): boolean {
  if (!location) return false;
  const resolved = new URL(location, baseURL());
  return resolved.origin === new URL(baseURL()).origin && !resolved.pathname.startsWith("//");
}

test("every redirect trick is refused: the sign-in page and next-auth send only to our own paths, never a 500", async ({ page }) => {
  // Signed in, /signin redirects straight to its callbackUrl.
  await signInLocally(page, person.name, person.email);
  for (const trick of REDIRECT_TRICKS) {
    const response = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(trick)}`, { maxRedirects: 0 });
    expect(response.status(), trick).toBeLessThan(500);
    expect([302, 303, 307, 308], trick).toContain(response.status());
    expect(sameSite(response.headers().location), `${trick} → ${response.headers().location}`).toBe(true);
    expect(new URL(response.headers().location!, baseURL()).pathname, trick).toBe("/hosts");
  }

  // next-auth's own redirects (sign-in start, sign-out), with the same tricks.
  for (const trick of REDIRECT_TRICKS) {
    const start = await page.request.get(`/api/auth/signin?callbackUrl=${encodeURIComponent(trick)}`, { maxRedirects: 0 });
    expect(start.status(), trick).toBeLessThan(500);
    const location = start.headers().location;
    if (location) {
      expect(sameSite(location), `${trick} → ${location}`).toBe(true);
      expect(decodeURIComponent(location)).not.toContain("evil.example");
    }
    const csrf = ((await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
    const signIn = await page.request.post("/api/auth/callback/local", {
      form: { csrfToken: csrf, name: person.name, email: person.email, callbackUrl: trick, json: "true" },
      maxRedirects: 0,
    });
    expect(signIn.status(), trick).toBeLessThan(500);
    const answer = signIn.headers()["content-type"]?.includes("json") ? ((await signIn.json()) as { url?: string }).url : signIn.headers().location;
    expect(sameSite(answer), `${trick} → ${answer}`).toBe(true);
  }
});

test("a page of another origin cannot frame the platform", async ({ page }) => {
  // Another site, on another loopback port, that frames the platform's sign-in page and one of its own.
  const target = `${baseURL()}/signin`;
  const attacker = http.createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    if (req.url === "/own") return void res.end("<!doctype html><p id=own>framed fine</p>");
    res.end(`<!doctype html><h1>attacker</h1><iframe id=platform src="${target}" width=800 height=600></iframe><iframe id=own src="/own"></iframe>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = attacker.address() as AddressInfo;
    const framed = page.waitForResponse((response) => response.url() === target);
    await page.goto(`http://localhost:${port}/`);
    await expect(page.getByRole("heading", { name: "attacker" })).toBeVisible();
    // The platform answered the frame's request…
    const answer = await framed;
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    // …a frame the browser may show does render (the control)…
    await expect(page.frameLocator("#own").locator("#own")).toHaveText("framed fine");
    // …and the platform's frame shows nothing of the page: no brand, no sign-in form.
    await expect(page.frameLocator("#platform").getByText("Disco Parrot")).toHaveCount(0);
    await expect(page.frameLocator("#platform").getByRole("button")).toHaveCount(0);
    await expect(page.frameLocator("#platform").getByLabel("Email")).toHaveCount(0);
    expect(page.frames().some((frame) => frame.url() === target && frame.url() !== "")).toBe(false);
  } finally {
    await new Promise<void>((resolve) => attacker.close(() => resolve()));
  }
});

/** Sends a request whose body never ends (streamed, or with a huge declared length) and returns the status line that comes back. */
function endlessBody(method: string, path: string, framing: "chunked" | "declared"): Promise<string> {
  const { hostname, port } = new URL(baseURL());
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = "";
    let sent = 0;
    let pump: ReturnType<typeof setInterval> | undefined;
    const done = (value: string | Error) => {
      clearInterval(pump);
      socket.destroy();
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    socket.on("connect", () => {
      const length = framing === "chunked" ? "transfer-encoding: chunked" : "content-length: 107374182400";
      socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n${length}\r\n\r\n`);
      // The body starts only after the head, and never ends.
      pump = setInterval(() => {
        const chunk = "x".repeat(16 * 1024);
        socket.write(framing === "chunked" ? `${chunk.length.toString(16)}\r\n${chunk}\r\n` : chunk);
        sent += chunk.length;
      }, 5);
    });
    socket.on("data", (data) => {
      answer += data.toString();
      if (answer.includes("\r\n\r\n")) done(`${answer.split("\r\n")[0]} after ${sent} bytes sent`);
    });
    // The server may close while we are still writing: what it answered first is what counts.
    socket.on("error", (error) => done(answer.startsWith("HTTP/") ? `${answer.split("\r\n")[0]} after ${sent} bytes sent` : error));
    setTimeout(() => done(new Error(`no answer after ${sent} bytes`)), 15_000);
  });
}

test("bodies over the cap get 413 without being read, on every route, even when they never end", async ({ request }) => {
  for (const [method, path] of [
    ["POST", "/api/trpc/workspaces.create"],
    ["POST", "/api/operators/token"],
    ["POST", "/api/auth/callback/local"],
    ["POST", "/api/channel/events"],
    ["PUT", "/api/admin/workspaces/ws_x/plan"],
  ] as const) {
    for (const framing of ["chunked", "declared"] as const) {
      const status = await endlessBody(method, path, framing);
      expect(status, `${path} (${framing})`).toMatch(/^HTTP\/1\.1 413 /);
      // Answered long before the body could have been read: the default cap is 1 MiB, and the body never ends.
      expect(Number(/after (\d+) bytes/.exec(status)![1]), `${path} (${framing})`).toBeLessThan(100 * 1024 * 1024);
    }
  }
  // A body just over the cap, sent whole, gets the same clear answer.
  const big = await request.post("/api/trpc/workspaces.create", { headers: { "content-type": "application/json" }, data: JSON.stringify({ name: "x".repeat(1_100_000) }) });
  expect(big.status()).toBe(413);
  expect(await big.json()).toMatchObject({ error: "payload_too_large", message: expect.stringMatching(/larger than this platform accepts/) });
  expectSecurityHeaders(big.headers(), "413");
});

test("a tRPC batch over the cap is refused whole", async ({ page }) => {
  await signInLocally(page, person.name, person.email);
  const calls = (n: number) => Array.from({ length: n }, () => "workspaces.mine").join(",");
  const input = (n: number) => encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
  const within = await page.request.get(`/api/trpc/${calls(20)}?batch=1&input=${input(20)}`);
  expect(within.status()).toBe(200);
  const over = await page.request.get(`/api/trpc/${calls(21)}?batch=1&input=${input(21)}`);
  expect(over.status()).toBe(400);
  expect(JSON.stringify(await over.json())).toContain("Batch call exceeds maximum size");
});

test("a cap reached is refused on the page that asked, with a sentence saying what to do", async ({ page }) => {
  await signInLocally(page, person.name, person.email);
  // Fill the workspace's API token places (MAX_API_TOKENS_PER_WORKSPACE, 100 by default) the quick way…
  for (let i = 0; i < 100; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, j) => {
        const created = await page.request.post("/api/trpc/apiTokens.create", {
          data: { workspaceId, name: `filler ${i + j}`, scopes: ["hosts.read"], expiresInDays: 1 },
        });
        expect(created.status()).toBe(200);
      }),
    );
  }
  // …then ask for one more, as a person does.
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("one too many");
  await page.getByRole("group", { name: /scopes/i }).getByLabel("hosts.read").check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("This workspace has 100 active API tokens, the most it may have. Revoke a token you no longer use to create another.")).toBeVisible();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
});

test("over the open-stream cap, the run page says why live updates are paused, and goes live once a stream closes", async ({ page }) => {
  test.setTimeout(90_000);
  await signInLocally(page, person.name, person.email);
  const profiles = (await (await page.request.get(`/api/trpc/profiles.list?input=${encodeURIComponent(JSON.stringify({ workspaceId, limit: 10 }))}`)).json()) as {
    result: { data: { items: { id: string }[] } };
  };
  const started = await page.request.post("/api/trpc/runs.start", { data: { workspaceId, profileId: profiles.result.data.items[0]!.id, input: "echo hello" } });
  expect(started.status()).toBe(200);
  const runId = ((await started.json()) as { result: { data: { id: string } } }).result.data.id;

  // The same person already watches 20 streams (MAX_EVENT_STREAMS_PER_PRINCIPAL), from other tabs or tools.
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  // Each response is kept: undici cancels the body of a Response that is garbage collected unread,
  // which would close that stream (and free its slot) whenever the test runner's GC happens to run.
  const watchers = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const abort = new AbortController();
      const response = await fetch(`${baseURL()}/api/runs/${runId}/events`, { headers: { cookie }, signal: abort.signal });
      expect(response.status).toBe(200);
      return { abort: () => abort.abort(), response };
    }),
  );
  await page.goto(`/runs/${runId}`);
  const paused = page.getByRole("status").filter({ hasText: "Live updates are paused" });
  await expect(paused).toBeVisible({ timeout: 20_000 });
  await expect(paused).toContainText("You have 20 run event streams open, the most one person or token may have at once.");

  // One closes: the page goes live by itself.
  watchers[0]!.abort();
  await expect(page.getByRole("status", { name: "Live" })).toBeVisible({ timeout: 30_000 });
  await expect(paused).toHaveCount(0);
  for (const watcher of watchers) watcher.abort();
});
