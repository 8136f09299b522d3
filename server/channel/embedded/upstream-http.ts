import http from "node:http";
import https from "node:https";

/**
 * The hub's HTTP client for its CloudEvents: node's http over kept-alive sockets. `fetch` did the
 * same job at several times the CPU per request (web streams, Headers, its own abort plumbing),
 * and the hub sends one request per user event.
 */
export interface UpstreamResponse {
  status: number;
  ok: boolean;
  header(name: string): string | undefined;
  /** The body, up to `cap` bytes; past it, throws (or returns the first `cap` bytes when `truncate`). */
  read(cap: number, truncate?: boolean): Promise<Buffer>;
  /** Lets the body go unread. */
  discard(): void;
}

const DISCARD_READ_BYTES = 64 * 1024;

export class UpstreamClient {
  // Idle sockets are let go after 4 s, before a peer with the usual 5 s keep-alive timeout closes them
  // under a request (a POST is never retried, so that race would cost an event).
  private readonly agents = { http: new http.Agent({ keepAlive: true, timeout: 4_000 }), https: new https.Agent({ keepAlive: true, timeout: 4_000 }) };

  request(url: string, init: { method: "POST" | "OPTIONS"; headers: Record<string, string>; body?: Buffer; signal: AbortSignal }): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body) headers["content-length"] = init.body.length;
      const options = { method: init.method, headers, signal: init.signal, agent: secure ? this.agents.https : this.agents.http };
      const req = (secure ? https : http).request(target, options, (res) => resolve(wrap(res)));
      req.once("error", reject);
      req.end(init.body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

function wrap(res: http.IncomingMessage): UpstreamResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    header(name) {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    async read(cap, truncate = false) {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > cap) {
          res.destroy();
          if (truncate) return Buffer.concat([...chunks, chunk]).subarray(0, cap);
          throw new Error(`the event handler's response is larger than ${cap} bytes`);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
    discard() {
      // A small answer is read to its end so the socket can carry the next event; a large one is cut.
      if (Number(res.headers["content-length"] ?? 0) > DISCARD_READ_BYTES) return void res.destroy();
      let seen = 0;
      res.on("data", (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > DISCARD_READ_BYTES) res.destroy();
      });
      res.resume();
    },
  };
}
