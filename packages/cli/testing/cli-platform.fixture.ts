/**
 * The platform as the CLI meets it, as a process of its own so a test can kill it mid-stream and
 * start it again on the same data: the platform harness (store, hub, event handler) plus the
 * `/api/trpc` route on a fixed port, building each request's context from its bearer token as
 * the Next.js route does. Managed sandboxes run under a folder of their own and outlive it.
 *
 *   cli-platform.fixture.ts <dataDir> <port> <sandboxRoot> [--seed]
 *
 * Prints one JSON line per fact: {seeded: {token, workspaceId}} with --seed (an owner's token
 * with every scope, a Local Docker host "offline-docker" whose operator never connects, and a
 * profile "On offline-docker" on it, beside the workspace's "Default" on managed compute), then
 * {ready: url}.
 */
import http from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { SCOPES } from "@/prisma-free-schema/vocabulary/scopes";
import { authenticateRequest } from "@/server/auth/request-actor";
import { startPlatformHarness } from "@/server/channel/testing/platform-harness";
import { installGracefulStop } from "@/server/graceful-stop";
import { log } from "@/server/log";
import { LocalProcessProvider } from "@/server/providers/managed/local-process-provider";
import { OperatorHostProvider } from "@/server/providers/operator-host/operator-host-provider";
import { platformJobs } from "@/server/scheduler/platform-jobs";
import { startProcessSchedule } from "@/server/scheduler/process-schedule";
import { reconnectSandboxes } from "@/server/services/sandboxes/reconnect-sandboxes";
import type { SandboxDeps } from "@/server/services/sandboxes/sandbox-deps";
import { profileSettings, registerHost } from "@/server/testing/hosts-fixtures";
import { appRouter } from "@/server/trpc/root";

const [dataDir, port, root, mode] = process.argv.slice(2);
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);

async function main(): Promise<void> {
  const platform = await startPlatformHarness({ dataDir, ownerEmail: "cli-owner@example.com" });
  const deps: SandboxDeps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { managed: new LocalProcessProvider(root!), docker: new OperatorHostProvider(async () => platform.channel.platform) },
    readyTimeoutMs: 30_000,
  };
  // The routers launch through this process's deps (processSandboxDeps): these, sandboxes under `root`.
  (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.sandbox-deps")] = deps;
  installGracefulStop(startProcessSchedule(platform.store, platformJobs(deps)));
  await reconnectSandboxes(deps);

  if (mode === "--seed") {
    const { ownerCaller } = platform.owner;
    const workspaceId = platform.workspaceId;
    const { bearer } = await ownerCaller.apiTokens.create({ workspaceId, name: "cli tests", scopes: [...SCOPES], expiresInDays: 1 });
    const host = await registerHost(ownerCaller, workspaceId, { name: "offline-docker", kind: "docker" });
    await ownerCaller.profiles.create({ workspaceId, ...profileSettings({ name: "On offline-docker", hostChoice: { kind: "host", hostId: host.id } }) });
    say({ seeded: { token: bearer, workspaceId } });
  }

  const server = http.createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const request = await toRequest(req, gone.signal);
    const response = new URL(request.url).pathname.startsWith("/api/trpc/")
      ? await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: request,
          router: appRouter,
          createContext: async () => ({
            requestId: "cli-test",
            store: platform.store,
            ...(await authenticateRequest(request, platform.store)),
            log,
            origin: new URL(request.url).origin,
            http: { headers: {} },
          }),
        })
      : new Response("not found", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // Streamed: a subscription never ends by itself.
    const body = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    res.once("close", () => body.destroy());
    body.pipe(res);
  }
  await new Promise<void>((resolve) => server.listen(Number(port), "127.0.0.1", resolve));
  say({ ready: `http://127.0.0.1:${port}` });
}

async function toRequest(req: http.IncomingMessage, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? `127.0.0.1:${port}`}`), { method: req.method, headers, body, signal });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
