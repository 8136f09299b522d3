import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export interface FetchServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server answering with a fetch-style handler, as a Next.js route handler is
 * called: for tests that serve the platform's own handlers without Next.js. The request is
 * aborted when the client goes (a live stream then ends, as under Next.js) and the response is
 * streamed, not buffered: a run event stream never ends by itself.
 */
export async function serveFetch(handle: (request: Request) => Promise<Response>, port = 0): Promise<FetchServer> {
  let url = "";
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  async function answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const response = await handle(await toRequest(req, url, gone.signal));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const body = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    res.once("close", () => body.destroy());
    body.pipe(res);
  }
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function toRequest(req: http.IncomingMessage, base: string, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body, signal });
}
