import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "../../log";
import { createClientEndpoint } from "./hub-client-endpoint";
import { HubRegistry } from "./hub-registry";
import { createRestApi } from "./hub-rest-api";
import { checkHandlerUrl, Upstream } from "./hub-upstream";

/**
 * The channel the platform uses when no Azure Web PubSub resource is configured: a server in this
 * process that speaks enough of the Web PubSub protocol for the unmodified SDKs —
 * `WebPubSubServiceClient` on the platform side, `WebPubSubClient` in operators and sidecars —
 * so the channel code is the same here as against Azure. Loopback only, a random access key per
 * run unless one is given, CloudEvents to the platform's event handler. The protocol facts it
 * follows are in /work/shared/WEBPUBSUB.md.
 *
 * The endpoint is plain http, so the platform must construct its service client with
 * `allowInsecureConnection: true` (§1.3) — only for this loopback endpoint.
 *
 * Limits and gaps, on purpose: client frames and REST message bodies are capped at 1 MiB (1009 /
 * 413 above it); reliable sessions wait 30 s for recovery and buffer at most 10,000 un-acked
 * messages or 16 MiB; raw WebSocket clients, OData `filter`, dynamic permissions, wildcard
 * `…Groups.{pattern}` roles, invocations and message TTLs are not implemented (501 / refused /
 * ignored, as each file says). Nothing persists: a restart ends every connection.
 */
export interface EmbeddedHub {
  /** Web PubSub connection string for this run: Endpoint=http://127.0.0.1:<port>;AccessKey=<random ≥32 chars>;Version=1.0; */
  connectionString: string;
  endpoint: string;
  /** Closes every client (with `system/disconnected` and close code 1008), the server, and waits for events in flight. */
  stop(): Promise<void>;
}

export interface EmbeddedHubOptions {
  /** Where upstream CloudEvents go; may be set later through `setEventHandlerUrl`. */
  eventHandlerUrl?: string;
  /** Default 0 (ephemeral); always bound to 127.0.0.1. */
  port?: number;
  /** Default random. At least 32 characters, no `;` or whitespace (it goes into a connection string). */
  accessKey?: string;
}

/** Sockets that answer neither our pings nor anything else within two intervals are cut. */
const HEARTBEAT_INTERVAL_MS = 30_000;
const SOCKET_CLOSE_GRACE_MS = 1_000;
const EVENT_DRAIN_GRACE_MS = 2_000;

export async function startEmbeddedHub(options: EmbeddedHubOptions = {}): Promise<EmbeddedHub & { setEventHandlerUrl(url: string): void }> {
  const accessKey = options.accessKey ?? randomBytes(32).toString("base64url");
  if (accessKey.length < 32 || /[;\s]/.test(accessKey)) {
    throw new Error(`The embedded hub's access key must be at least 32 characters without ';' or whitespace (got ${accessKey.length} characters).`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`The embedded hub's port must be 0-65535; got ${port}.`);

  if (options.eventHandlerUrl !== undefined) checkHandlerUrl(options.eventHandlerUrl);

  const registry = new HubRegistry();
  const server = http.createServer();
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`The embedded hub could not listen on 127.0.0.1:${port} (${error.code ?? error.message}).`, { cause: error })),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${bound}`;

  const upstream = new Upstream(`127.0.0.1:${bound}`, options.eventHandlerUrl);
  const rest = createRestApi({ registry, accessKey });
  const clients = createClientEndpoint({ registry, upstream, accessKey });

  server.on("request", (req, res) => {
    rest(req, res).catch((error: unknown) => {
      log.error("channel.hub.rest_failed", { method: req.method, path: req.url?.split("?")[0], error });
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  });
  server.on("upgrade", (req, socket, head) => clients.handleUpgrade(req, socket, head));
  server.on("error", (error) => log.error("channel.hub.server_error", { error }));

  const heartbeat = setInterval(() => {
    for (const connection of registry.allConnections()) connection.heartbeat();
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    clearInterval(heartbeat);
    // Stop accepting first; WebSocket clients then get `system/disconnected` and a close they can
    // answer before anything is cut. 1008: there is no session to recover after a restart.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of registry.allConnections()) connection.end("The hub is stopping.", 1008);
    await clients.shutdown(SOCKET_CLOSE_GRACE_MS);
    server.closeAllConnections();
    await closed;
    await upstream.drain(EVENT_DRAIN_GRACE_MS);
  }

  log.info("channel.hub.started", { endpoint });
  return {
    connectionString: `Endpoint=${endpoint};AccessKey=${accessKey};Version=1.0;`,
    endpoint,
    setEventHandlerUrl: (url) => upstream.setUrl(url),
    stop: () => (stopping ??= stop()),
  };
}
