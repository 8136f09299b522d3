import { randomBytes } from "node:crypto";
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { log } from "../../log";
import { HubConnection, MAX_FRAME_BYTES } from "./hub-connection";
import { frames, SUPPORTED_PROTOCOLS } from "./hub-messages";
import { HUB_NAME, type HubRegistry } from "./hub-registry";
import { clientAudienceMatcher, eventSignature, type JwtClaims, safeEqual, stringList, verifyJwt } from "./hub-tokens";
import type { ConnectRequest, EventSource, Upstream } from "./hub-upstream";

/**
 * The client WebSocket endpoint, `/client/hubs/{hub}` or `/client/?hub={hub}` (WEBPUBSUB.md §4.1).
 * Everything that can refuse a client happens before the upgrade, as an HTTP status: 401 for a bad
 * token, the `connect` handler's 4xx, 400 for a client without a supported subprotocol. Raw
 * WebSocket clients (no subprotocol) are refused with 400: the platform's operators and sidecars
 * use `WebPubSubClient`, which always speaks a JSON subprotocol.
 */
const MAX_PENDING_HANDSHAKES = 256;
/** Request headers that carry secrets or belong to the WebSocket handshake; not forwarded in `connect`. */
const HIDDEN_HEADERS = new Set(["authorization", "cookie", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"]);

export interface ClientEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Refuses handshakes still waiting for `connect`, then waits up to `graceMs` for open sockets to close before cutting them. */
  shutdown(graceMs: number): Promise<void>;
}

export function createClientEndpoint(deps: { registry: HubRegistry; upstream: Upstream; accessKey: string }): ClientEndpoint {
  const { registry, upstream, accessKey } = deps;
  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (_offered, req) => chosenProtocol.get(req) ?? false,
  });
  const pending = new Set<Duplex>();
  const sockets = new Set<WebSocket>();
  let onAllClosed: (() => void) | undefined;
  let stopping = false;

  function accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, then: (ws: WebSocket) => void): void {
    chosenProtocol.set(req, protocol);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once("close", () => {
        sockets.delete(ws);
        if (sockets.size === 0) onAllClosed?.();
      });
      // ws emits `error` for protocol violations; without a listener that would crash the process.
      ws.on("error", () => undefined);
      then(ws);
    });
  }

  async function handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://embedded");
    const hubName = url.pathname.match(/^\/client\/hubs\/([^/]+)\/?$/)?.[1] ?? (/^\/client\/?$/.test(url.pathname) ? url.searchParams.get("hub") : null);
    if (!hubName) return refuse(socket, 404, "Not found: clients connect to /client/hubs/{hub}.");
    const hubDecoded = safeDecode(hubName);
    if (!HUB_NAME.test(hubDecoded)) return refuse(socket, 400, `'${hubDecoded}' is not a valid hub name.`);

    const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    if (offered.length === 0) return refuse(socket, 400, `The embedded hub accepts only the ${SUPPORTED_PROTOCOLS.join(" and ")} subprotocols; raw WebSocket clients are not supported.`);
    let protocol = offered.find((p) => SUPPORTED_PROTOCOLS.includes(p));
    if (!protocol) return refuse(socket, 400, `None of the offered subprotocols is supported; use ${SUPPORTED_PROTOCOLS.join(" or ")}.`);

    const recoverId = url.searchParams.get("awps_connection_id");
    if (recoverId !== null) {
      const connection = registry.find(hubDecoded)?.connections.get(recoverId);
      return recover(req, socket, head, connection, url.searchParams.get("awps_reconnection_token") ?? "", protocol);
    }

    const token = url.searchParams.get("access_token") ?? req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return refuse(socket, 401, "Unauthorized: no access token.");
    const host = req.headers.host ?? "";
    const checked = verifyJwt(token, accessKey, clientAudienceMatcher(host, hubDecoded));
    if (!checked.ok) return refuse(socket, 401, `Unauthorized: ${checked.reason}.`);
    const { claims } = checked;
    // Created only now: an unauthenticated caller must not be able to make the hub keep state.
    const hub = registry.hub(hubDecoded);

    const id = randomBytes(18).toString("base64url");
    let userId = typeof claims.sub === "string" && claims.sub ? claims.sub : null;
    const source: EventSource = {
      hub: hub.name,
      connectionId: id,
      userId,
      subprotocol: protocol,
      signature: eventSignature(accessKey, id),
      connectionState: undefined,
      nextEventId: (() => {
        let next = 0;
        return () => next++;
      })(),
    };
    const outcome = await upstream.connect(source, connectRequest(req, url, claims, offered));
    if (!outcome.accept) return refuse(socket, outcome.status, outcome.message);
    if (stopping || socket.destroyed) {
      // `connect` succeeded, so the handler hears the matching `disconnected` (§5.4).
      void upstream.notify(source, "disconnected", { reason: "The client left before the connection was established." });
      return refuse(socket, 503, "The hub is stopping.");
    }
    if (outcome.userId !== undefined) userId = outcome.userId || null;
    if (outcome.subprotocol) {
      if (offered.includes(outcome.subprotocol) && SUPPORTED_PROTOCOLS.includes(outcome.subprotocol)) protocol = outcome.subprotocol;
      else log.warn("channel.hub.connect_subprotocol_ignored", { subprotocol: outcome.subprotocol });
    }
    const roles = outcome.roles ?? stringList(claims.role);
    const groups = outcome.groups?.length ? outcome.groups : stringList(claims["webpubsub.group"]);
    const connection = new HubConnection({
      home: hub,
      id,
      userId,
      roles,
      protocol,
      reconnectionToken: randomBytes(32).toString("base64url"),
      signature: source.signature,
      connectionState: outcome.state,
      upstream,
    });
    // Events of this connection continue the numbering `connect` started.
    connection.nextEventId();
    accept(req, socket, head, protocol, (ws) => {
      hub.add(connection);
      for (const group of groups) hub.join(connection, group);
      connection.attach(ws, true);
    });
  }

  /**
   * Reliable recovery (§4.5): the access token is ignored; the reconnection token must match the
   * connection. An unknown or expired connection is accepted and closed with 1008, which makes the
   * SDK stop recovering and open a fresh connection.
   */
  function recover(req: IncomingMessage, socket: Duplex, head: Buffer, connection: HubConnection | undefined, token: string, protocol: string): void {
    const valid = connection !== undefined && !connection.ended && connection.reliable && connection.subprotocol === protocol && safeEqual(token, connection.reconnectionToken);
    accept(req, socket, head, protocol, (ws) => {
      if (valid && connection && !connection.ended) return connection.attach(ws, false);
      const reason = "The connection cannot be recovered; open a new one.";
      ws.send(frames.disconnected(reason));
      ws.close(1008, reason);
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on("error", (error) => log.debug("channel.hub.socket_error", { error }));
      if (stopping) return refuse(socket, 503, "The hub is stopping.");
      if (pending.size >= MAX_PENDING_HANDSHAKES) return refuse(socket, 503, "Too many connections are being established.");
      pending.add(socket);
      handshake(req, socket, head)
        .catch((error: unknown) => {
          log.error("channel.hub.handshake_failed", { error });
          refuse(socket, 500, "The hub failed to accept the connection.");
        })
        .finally(() => pending.delete(socket));
    },
    async shutdown(graceMs) {
      stopping = true;
      for (const socket of pending) socket.destroy();
      if (sockets.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            for (const ws of sockets) ws.terminate();
            resolve();
          }, graceMs);
          onAllClosed = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      wss.close();
    },
  };
}

function connectRequest(req: IncomingMessage, url: URL, claims: JwtClaims, subprotocols: string[]): ConnectRequest {
  const claimLists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(claims)) {
    const items = Array.isArray(value) ? value : [value];
    claimLists[name] = items.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  }
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    if (name === "access_token") continue;
    (query[name] ??= []).push(value);
  }
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values && !HIDDEN_HEADERS.has(name)) headers[name] = values;
  }
  return { claims: claimLists, query, headers, subprotocols, clientCertificates: [] };
}

/** Refuses a handshake with a plain HTTP response; the client's `start()` then fails with this status. */
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = Buffer.from(message, "utf8");
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${message}`,
    () => socket.destroy(),
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
