import { createHmac } from "node:crypto";
import { EventEmitter, once } from "node:events";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import {
  type OnConnectedArgs,
  type OnDisconnectedArgs,
  type OnGroupDataMessageArgs,
  type OnServerDataMessageArgs,
  type OnStoppedArgs,
  WebPubSubClient,
  type WebPubSubClientCredential,
  type WebPubSubClientOptions,
} from "@azure/web-pubsub-client";
import { afterEach } from "vitest";
import { type EmbeddedHub, type EmbeddedHubOptions, startEmbeddedHub } from "./embedded-hub";

/**
 * Test helpers for the embedded hub: everything started here is stopped after each test, and
 * every wait is on an event with a deadline, never a fixed sleep.
 */
export const HUB = "discoparrot";
const WAIT_MS = 5_000;

/** Clients stop first, then hubs (which still send their `disconnected` events), then event handlers. */
const cleanups: { clients: Cleanup[]; hubs: Cleanup[]; handlers: Cleanup[] } = { clients: [], hubs: [], handlers: [] };
type Cleanup = () => Promise<void> | void;
afterEach(async () => {
  for (const phase of [cleanups.clients, cleanups.hubs, cleanups.handlers]) {
    await Promise.all(phase.splice(0).map((cleanup) => cleanup()));
  }
});

export async function startHub(options: EmbeddedHubOptions = {}): Promise<EmbeddedHub & { setEventHandlerUrl(url: string): void }> {
  const hub = await startEmbeddedHub(options);
  cleanups.hubs.push(() => hub.stop());
  return hub;
}

export function serviceClient(hub: { connectionString: string }, hubName = HUB): WebPubSubServiceClient {
  return new WebPubSubServiceClient(hub.connectionString, hubName, { allowInsecureConnection: true });
}

export function accessKeyOf(hub: { connectionString: string }): string {
  return /AccessKey=([^;]+)/.exec(hub.connectionString)![1]!;
}

export function portOf(hub: { endpoint: string }): number {
  return Number(new URL(hub.endpoint).port);
}

/** A started client; `connected` resolves with the ids from the hub's `system/connected`. */
export async function startClient(
  credential: string | WebPubSubClientCredential,
  options: WebPubSubClientOptions = {},
): Promise<{ client: WebPubSubClient; connectionId: string; userId: string | undefined }> {
  const client = newClient(credential, options);
  const connected = next(client, "connected");
  await client.start();
  const { connectionId, userId } = await connected;
  return { client, connectionId, userId };
}

export function newClient(credential: string | WebPubSubClientCredential, options: WebPubSubClientOptions = {}): WebPubSubClient {
  // Tests that expect a refusal pass maxRetries 0 so the SDK reports it at once.
  const client = new WebPubSubClient(credential as WebPubSubClientCredential, { messageRetryOptions: { maxRetries: 0 }, ...options });
  cleanups.clients.push(() => client.stop());
  return client;
}

interface ClientEvents {
  connected: OnConnectedArgs;
  disconnected: OnDisconnectedArgs;
  stopped: OnStoppedArgs;
  "server-message": OnServerDataMessageArgs;
  "group-message": OnGroupDataMessageArgs;
}
type EventName = keyof ClientEvents;

/** The next `event` the client emits after this call. */
export function next<E extends EventName>(client: WebPubSubClient, event: E): Promise<ClientEvents[E]> {
  return collect(client, event, 1).then((events) => events[0]!);
}

/** The next `count` events of one kind, in order. */
export function collect<E extends EventName>(client: WebPubSubClient, event: E, count: number): Promise<ClientEvents[E][]> {
  return new Promise((resolve, reject) => {
    const seen: ClientEvents[E][] = [];
    const listener = (arg: ClientEvents[E]) => {
      seen.push(arg);
      if (seen.length < count) return;
      clearTimeout(timer);
      client.off(event as "connected", listener as never);
      resolve(seen);
    };
    const timer = setTimeout(() => {
      client.off(event as "connected", listener as never);
      reject(new Error(`timed out waiting for ${count} '${event}' event(s); saw ${seen.length}`));
    }, WAIT_MS);
    client.on(event as "connected", listener as never);
  });
}

/** A JWT signed here with node:crypto, independent of the SDK and of the hub's own code. */
export function signJwt(key: string, claims: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", Buffer.from(key, "utf8")).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export interface RecordedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
export type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer };

/**
 * A tiny upstream event handler on loopback that records every request. `answer` decides the
 * response; by default it passes the abuse-protection check and answers events with 204.
 */
export async function startEventHandler(answer: (request: RecordedRequest) => Answer | undefined = () => undefined) {
  const requests: RecordedRequest[] = [];
  const emitter = new EventEmitter();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      emitter.emit("request", request);
      const reply = answer(request) ?? defaultAnswer(request);
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/channel/events`;
  cleanups.handlers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  /** The first recorded request matching `predicate`, now or when it arrives. */
  function waitFor(predicate: (request: RecordedRequest) => boolean, what = "a matching request"): Promise<RecordedRequest> {
    const found = requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (request: RecordedRequest) => {
        if (!predicate(request)) return;
        clearTimeout(timer);
        emitter.off("request", listener);
        resolve(request);
      };
      const timer = setTimeout(() => {
        emitter.off("request", listener);
        reject(new Error(`timed out waiting for ${what}; saw ${requests.map((r) => `${r.method} ${String(r.headers["ce-type"] ?? "")}`).join(", ")}`));
      }, WAIT_MS);
      emitter.on("request", listener);
    });
  }

  const ofType = (type: string) => (request: RecordedRequest) => request.headers["ce-type"] === type;
  return { url, requests, waitFor, ofType };
}

function defaultAnswer(request: RecordedRequest): Answer {
  if (request.method === "OPTIONS") return { status: 200, headers: { "WebHook-Allowed-Origin": "*" } };
  return { status: 204 };
}
