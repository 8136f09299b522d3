/**
 * Many SSE readers of one run, over real HTTP keep-alive sockets, in a worker thread: the
 * platform's half (hub, store, event handler, the SSE route) keeps the main thread to itself, so
 * what the readers cost in parsing does not show up as the server's latency. Receipt time is
 * `Date.now()`, the clock the sidecar stamps `at` with (both whole milliseconds, so the
 * difference is unbiased but quantised to 1 ms).
 */
import type { EventLoopUtilization } from "node:perf_hooks";
import { Worker } from "node:worker_threads";

/** What the readers saw of one turn. */
export interface Receipts {
  /** Receipt time − the event's `at`, in ms, for every event every reader got. */
  latenciesMs: number[];
  /** Events each reader got, and of those, output events. */
  perStream: number[];
  outputsPerStream: number[];
  /** Receipt times (epoch ms) of the first and last output event, over all readers. */
  firstOutputAt: number;
  lastOutputAt: number;
}

// Plain JavaScript: the worker runs it with `eval`, without the TypeScript loader.
const WORKER = String.raw`
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const v8 = require("node:v8");
const vm = require("node:vm");
// The collector, for a fair memory reading; this runtime may have exposed it already.
if (typeof globalThis.gc !== "function") v8.setFlagsFromString("--expose-gc");
const collect = typeof globalThis.gc === "function" ? globalThis.gc : vm.runInNewContext("gc");
// One socket per stream: the pool must not cap them (the default Agent's maxSockets is Infinity, said outright here).
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let streams = [];
let watch;

// A thousand readers parse every frame: only the three fields read are picked out of the JSON
// (a key's quotes cannot occur unescaped inside a JSON string, so the match is the key's).
function stringField(text, key, from) {
  const start = text.indexOf('"' + key + '":"', from);
  if (start < 0) return undefined;
  const value = start + key.length + 4;
  return text.slice(value, text.indexOf('"', value));
}
function numberField(text, key, from) {
  const start = text.indexOf('"' + key + '":', from);
  return start < 0 ? undefined : parseInt(text.slice(start + key.length + 3, start + key.length + 20), 10);
}

function open({ url, bearers, afterSeq, count }) {
  const started = Date.now();
  let connected = 0;
  for (let i = 0; i < count; i += 1) {
    const stream = { received: 0, outputs: 0, ended: false, request: undefined, buffer: "" };
    streams.push(stream);
    stream.request = http.get(url, { agent, headers: { authorization: "Bearer " + bearers[i % bearers.length], "last-event-id": String(afterSeq) } }, (response) => {
      if (response.statusCode !== 200) {
        parentPort.postMessage({ type: "error", message: "stream answered " + response.statusCode });
        response.resume();
        return;
      }
      response.setEncoding("utf8");
      let announced = false;
      response.on("data", (text) => {
        const now = Date.now();
        stream.buffer += text;
        let end;
        while ((end = stream.buffer.indexOf("\n\n")) >= 0) {
          const frame = stream.buffer.slice(0, end);
          stream.buffer = stream.buffer.slice(end + 2);
          if (!announced && frame.startsWith(": connected")) {
            announced = true;
            connected += 1;
            if (connected === count) parentPort.postMessage({ type: "opened", ms: Date.now() - started });
            continue;
          }
          if (!watch) continue;
          const data = frame.indexOf("\ndata: ");
          if (data < 0) continue;
          const event = { turn: numberField(frame, "turn", data), at: stringField(frame, "at", data), kind: stringField(frame, "kind", data) };
          if (event.turn !== watch.turn) continue;
          stream.received += 1;
          watch.latencies.push(now - Date.parse(event.at));
          if (event.kind === "output") {
            stream.outputs += 1;
            watch.firstOutputAt = Math.min(watch.firstOutputAt, now);
            watch.lastOutputAt = Math.max(watch.lastOutputAt, now);
          }
          if (event.kind === "turn.ended" && !stream.ended) {
            stream.ended = true;
            watch.ended += 1;
            if (watch.ended === streams.length) parentPort.postMessage({ type: "turnSeen" });
          }
        }
      });
      response.on("error", () => undefined);
    });
    stream.request.on("error", (error) => {
      if (!stream.closing) parentPort.postMessage({ type: "error", message: String(error) });
    });
  }
}

parentPort.on("message", (message) => {
  if (message.type === "open") open(message);
  else if (message.type === "watch") {
    watch = { turn: message.turn, latencies: [], firstOutputAt: Infinity, lastOutputAt: -Infinity, ended: 0 };
    for (const stream of streams) {
      stream.received = 0;
      stream.outputs = 0;
      stream.ended = false;
    }
  } else if (message.type === "report") {
    parentPort.postMessage({
      type: "report",
      latenciesMs: watch.latencies,
      perStream: streams.map((s) => s.received),
      outputsPerStream: streams.map((s) => s.outputs),
      firstOutputAt: watch.firstOutputAt,
      lastOutputAt: watch.lastOutputAt,
    });
  } else if (message.type === "close") {
    for (const stream of streams) {
      stream.closing = true;
      stream.request.destroy();
    }
    streams = [];
    watch = undefined;
    parentPort.postMessage({ type: "closed" });
  } else if (message.type === "gc") {
    collect();
    parentPort.postMessage({ type: "gcDone" });
  }
});
`;

type Reply = { type: string; [key: string]: unknown };

export class SseSubscribers {
  private readonly worker = new Worker(WORKER, { eval: true });
  private readonly waiters = new Map<string, (reply: Reply) => void>();
  private failure: string | undefined;

  constructor() {
    this.worker.on("message", (reply: Reply) => {
      if (reply.type === "error") {
        this.failure ??= String(reply.message);
        return;
      }
      const waiter = this.waiters.get(reply.type);
      this.waiters.delete(reply.type);
      waiter?.(reply);
    });
    // A crashed worker answers nothing more: say why in whatever times out next.
    this.worker.on("error", (error) => {
      this.failure ??= `the reader worker failed: ${error.message}`;
    });
  }

  private request(message: Reply, replyType: string, timeoutMs: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(replyType);
        reject(new Error(`SSE readers: no ${replyType} within ${timeoutMs} ms${this.failure ? ` (${this.failure})` : ""}`));
      }, timeoutMs);
      this.waiters.set(replyType, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.worker.postMessage(message);
    });
  }

  /** Opens `count` streams after `afterSeq`, spread over `bearers`; resolves with how long until every one said `: connected`. */
  async open(options: { url: string; bearers: string[]; afterSeq: number; count: number }, timeoutMs = 60_000): Promise<number> {
    const reply = await this.request({ type: "open", ...options }, "opened", timeoutMs);
    return reply.ms as number;
  }

  /** From now on, records `turn`'s events; resolves once every stream has seen the turn end (rejects on timeout). */
  watchTurn(turn: number, timeoutMs: number): Promise<void> {
    this.worker.postMessage({ type: "watch", turn });
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete("turnSeen");
        reject(new Error(`SSE readers: turn ${turn} not seen to its end by every stream within ${timeoutMs} ms${this.failure ? ` (${this.failure})` : ""}`));
      }, timeoutMs);
      this.waiters.set("turnSeen", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Awaited by the caller once the turn is sent; never an unhandled rejection if sending throws first.
    seen.catch(() => undefined);
    return seen;
  }

  async report(): Promise<Receipts> {
    const reply = await this.request({ type: "report" }, "report", 30_000);
    return reply as unknown as Receipts;
  }

  async gc(): Promise<void> {
    await this.request({ type: "gc" }, "gcDone", 30_000);
  }

  async closeStreams(): Promise<void> {
    await this.request({ type: "close" }, "closed", 30_000);
  }

  /** The reader thread's event-loop utilisation since `since` (pass the previous reading). */
  busy(since?: EventLoopUtilization): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization(since);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
