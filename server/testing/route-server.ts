import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { GET as runEventsGet } from "@/app/api/runs/[runId]/events/route";

const RUN_EVENTS = /^\/api\/runs\/([^/]+)\/events$/;

/**
 * The app's own route handlers for the typed API (`/api/trpc`) and the run event stream, served
 * over loopback HTTP without Next.js, for tests that run a program against the platform as an
 * internal tool would. The handlers open the process's store, channel and providers, so the
 * test points those at its platform first (useStoreAsProcessStore, the sandbox deps).
 */
export async function serveApiRoutes(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  async function answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const request = new Request(new URL(req.url ?? "/", url), { method: req.method, headers, body, signal: gone.signal });
    const path = new URL(request.url).pathname;
    const runId = RUN_EVENTS.exec(path)?.[1];
    const response = path.startsWith("/api/trpc/")
      ? await (request.method === "POST" ? trpcPost : trpcGet)(request)
      : runId
        ? await runEventsGet(request, { params: Promise.resolve({ runId: decodeURIComponent(runId) }) })
        : new Response("not found", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // Streamed, not buffered: an event stream never ends by itself.
    const stream = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    res.once("close", () => stream.destroy());
    stream.pipe(res);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
