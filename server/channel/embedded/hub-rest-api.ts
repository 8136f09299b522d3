import type { IncomingMessage, ServerResponse } from "node:http";
import type { HubConnection } from "./hub-connection";
import { messageBody, payloadFromHttp } from "./hub-messages";
import { Hub, HUB_NAME, type HubRegistry } from "./hub-registry";
import { restAudienceMatcher, signClientToken, VerifiedTokens, verifyJwt } from "./hub-tokens";

/**
 * The REST data plane under `/api/hubs/{hub}/…` (WEBPUBSUB.md §3). Success statuses are exactly the
 * ones the SDK declares (it throws on any other, even another 2xx); errors carry an `ErrorDetail`
 * body and are never 5xx for deterministic failures, because the SDK retries 5xx. Sends to a
 * connection, user or group that does not exist succeed, as on Azure: delivery is fire-and-forget.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Past this, a body is not even drained: the socket is cut. */
const MAX_DRAIN_BYTES = 16 * MAX_MESSAGE_BYTES;
const DEFAULT_CLOSE_REASON = "The connection was closed by the service.";

interface Call {
  hub: Hub;
  accessKey: string;
  params: Record<string, string>;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}
type Route = [method: string, pattern: string, run: (call: Call) => void | Promise<void>];

const notImplemented = (what: string) => (call: Call) =>
  fail(call.res, 501, "NotImplemented", `${what} is not implemented by the embedded hub; the platform does not use it.`);

const ROUTES: Route[] = [
  ["POST", ":send", (c) => send(c, () => [...c.hub.connections.values()])],
  ["POST", "users/{user}/:send", (c) => send(c, () => c.hub.userConnections(c.params.user!))],
  ["POST", "connections/{connection}/:send", (c) => send(c, () => present(c.hub.connections.get(c.params.connection!)))],
  ["POST", "groups/{group}/:send", (c) => send(c, () => c.hub.groupMembers(c.params.group!))],
  ["PUT", "users/{user}/groups/{group}", (c) => {
    // Only the user's current connections join; a later connection of the user does not.
    for (const connection of c.hub.userConnections(c.params.user!)) c.hub.join(connection, c.params.group!);
    done(c.res, 200);
  }],
  ["DELETE", "users/{user}/groups/{group}", (c) => {
    for (const connection of c.hub.userConnections(c.params.user!)) c.hub.leave(connection, c.params.group!);
    done(c.res, 204);
  }],
  ["DELETE", "users/{user}/groups", (c) => {
    for (const connection of c.hub.userConnections(c.params.user!)) for (const group of [...connection.groups]) c.hub.leave(connection, group);
    done(c.res, 204);
  }],
  ["PUT", "groups/{group}/connections/{connection}", (c) => {
    const connection = c.hub.connections.get(c.params.connection!);
    // The SDK turns this 404 into "Connection id '…' doesn't exist".
    if (!connection) return fail(c.res, 404, "NotFound", `Connection '${c.params.connection}' does not exist.`);
    c.hub.join(connection, c.params.group!);
    done(c.res, 200);
  }],
  ["DELETE", "groups/{group}/connections/{connection}", (c) => {
    const connection = c.hub.connections.get(c.params.connection!);
    if (connection) c.hub.leave(connection, c.params.group!);
    done(c.res, 204);
  }],
  ["DELETE", "connections/{connection}/groups", (c) => {
    const connection = c.hub.connections.get(c.params.connection!);
    for (const group of [...(connection?.groups ?? [])]) c.hub.leave(connection!, group);
    done(c.res, 204);
  }],
  ["GET", "groups/{group}/connections", (c) => {
    const value = c.hub.groupMembers(c.params.group!).map((connection) => ({ connectionId: connection.id, userId: connection.userId }));
    done(c.res, 200, { value });
  }],
  ["DELETE", "connections/{connection}", (c) => close(c, present(c.hub.connections.get(c.params.connection!)))],
  ["POST", ":closeConnections", (c) => close(c, [...c.hub.connections.values()])],
  ["POST", "users/{user}/:closeConnections", (c) => close(c, c.hub.userConnections(c.params.user!))],
  ["POST", "groups/{group}/:closeConnections", (c) => close(c, c.hub.groupMembers(c.params.group!))],
  ["HEAD", "connections/{connection}", (c) => done(c.res, c.hub.connections.has(c.params.connection!) ? 200 : 404)],
  ["HEAD", "users/{user}", (c) => done(c.res, c.hub.hasUser(c.params.user!) ? 200 : 404)],
  ["HEAD", "groups/{group}", (c) => done(c.res, c.hub.hasGroup(c.params.group!) ? 200 : 404)],
  ["POST", ":generateToken", generateToken],
  ["PUT", "permissions/{permission}/connections/{connection}", notImplemented("Granting a permission")],
  ["DELETE", "permissions/{permission}/connections/{connection}", notImplemented("Revoking a permission")],
  ["HEAD", "permissions/{permission}/connections/{connection}", notImplemented("Checking a permission")],
  ["POST", ":addToGroups", notImplemented("Adding connections to groups by filter")],
  ["POST", ":removeFromGroups", notImplemented("Removing connections from groups by filter")],
];

export function createRestApi(deps: { registry: HubRegistry; accessKey: string }): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const verified = new VerifiedTokens();
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://embedded");
    if (url.pathname === "/api/health") return done(res, req.method === "HEAD" || req.method === "GET" ? 200 : 405);
    const match = url.pathname.match(/^\/api\/hubs\/([^/]+)\/(.+)$/);
    if (!match) return fail(res, 404, "NotFound", "Not found: the data plane is under /api/hubs/{hub}/.");
    const hubName = decode(match[1]!);
    if (!HUB_NAME.test(hubName)) return fail(res, 400, "BadRequest", `'${hubName}' is not a valid hub name.`);

    const token = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return fail(res, 401, "Unauthorized", "A Bearer token signed with the access key is required.");
    const checked = verifyJwt(token, deps.accessKey, restAudienceMatcher(req.headers.host ?? "", req.url ?? "/"), Date.now(), verified);
    if (!checked.ok) return fail(res, 401, "Unauthorized", `Unauthorized: ${checked.reason}.`);

    const segments = match[2]!.replace(/\/$/, "").split("/");
    for (const [method, pattern, run] of ROUTES) {
      const params = matchPattern(pattern, segments);
      if (!params || method !== req.method) continue;
      for (const [name, value] of Object.entries(params)) {
        if (!value || value.length > 1024) return fail(res, 400, "BadRequest", `The ${name} must be 1 to 1024 characters.`);
      }
      // A hub nobody ever connected to is empty; answering from a throwaway keeps the registry small.
      const hub = deps.registry.find(hubName) ?? new Hub(hubName.toLowerCase());
      return run({ hub, accessKey: deps.accessKey, params, query: url.searchParams, req, res });
    }
    return fail(res, 404, "NotFound", `No ${req.method} operation at ${url.pathname}.`);
  };
}

/** `targets` is evaluated once the body has arrived, so it names who is connected at delivery time. */
async function send(call: Call, targets: () => HubConnection[]): Promise<void> {
  const { query, req, res } = call;
  if (query.has("filter")) return fail(res, 501, "NotImplemented", "OData filters are not implemented by the embedded hub.");
  const body = await readBody(req);
  if (body === "too-large") return fail(res, 413, "PayloadTooLarge", `A message can be at most ${MAX_MESSAGE_BYTES} bytes in the embedded hub.`);
  const payload = payloadFromHttp(req.headers["content-type"], body);
  if (!payload.ok) return fail(res, 400, "BadRequest", payload.message);
  // messageTtlSeconds is accepted and ignored: delivery is immediate.
  const excluded = new Set(query.getAll("excluded"));
  const frameBody = messageBody({ from: "server" }, payload.value);
  for (const connection of targets()) if (!excluded.has(connection.id)) connection.deliver(frameBody);
  done(res, 202);
}

function close(call: Call, targets: HubConnection[]): void {
  const excluded = new Set(call.query.getAll("excluded"));
  const reason = call.query.get("reason") || DEFAULT_CLOSE_REASON;
  // 1008 tells the SDK not to attempt recovery: the service meant to end this connection.
  for (const connection of targets) if (!excluded.has(connection.id)) connection.end(reason, 1008);
  done(call.res, 204);
}

function generateToken({ hub, accessKey, query, req, res }: Call): void {
  const clientType = query.get("clientType") ?? "Default";
  if (clientType.toLowerCase() !== "default") return fail(res, 400, "BadRequest", `Client type '${clientType}' is not supported by the embedded hub.`);
  const minutes = Number(query.get("minutesToExpire") ?? "60");
  if (!Number.isFinite(minutes) || minutes <= 0) return fail(res, 400, "BadRequest", "minutesToExpire must be a positive number.");
  const iat = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iat, exp: iat + Math.round(minutes * 60), aud: `http://${req.headers.host ?? ""}/client/hubs/${hub.name}` };
  const userId = query.get("userId");
  if (userId) claims.sub = userId;
  if (query.has("role")) claims.role = query.getAll("role");
  if (query.has("group")) claims["webpubsub.group"] = query.getAll("group");
  done(res, 200, { token: signClientToken(accessKey, claims) });
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if (part.startsWith("{")) params[part.slice(1, -1)] = decode(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}

/** Reads up to MAX_MESSAGE_BYTES; a larger body is drained (so the client reads the 413 rather than a reset) and reported. */
async function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_DRAIN_BYTES) {
      req.destroy();
      return "too-large";
    }
    if (total <= MAX_MESSAGE_BYTES) chunks.push(chunk);
  }
  return total > MAX_MESSAGE_BYTES ? "too-large" : Buffer.concat(chunks);
}

function present(connection: HubConnection | undefined): HubConnection[] {
  return connection ? [connection] : [];
}

function done(res: ServerResponse, status: number, body?: unknown): void {
  res.statusCode = status;
  if (body === undefined) {
    res.setHeader("content-length", "0");
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  done(res, status, { code, message });
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
