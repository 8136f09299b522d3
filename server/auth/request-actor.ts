import { authenticateApiToken } from "../services/api-tokens/authenticate-api-token";
import type { Store } from "../store/store";
import type { Actor } from "./actor";
import { getSessionActor } from "./session-actor";

/**
 * Cookie-authenticated writes must come from our own pages. Session cookies are SameSite=Lax,
 * which already keeps them off cross-site POSTs; checking Origin as well means a browser quirk
 * or a lax proxy cannot turn a foreign page into a caller. Bearer tokens are not cookies and
 * need no such check.
 */
function isSameOriginOrSafe(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD") return true;
  const origin = req.headers.get("origin");
  if (!origin) return true;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Who sent the request: an `Authorization: Bearer dpt_…` API token when one is sent (and then
 * only that), else the session cookie. Shared by the tRPC route and the other route handlers
 * (the SSE stream), so every door checks callers the same way.
 */
export async function authenticateRequest(req: Request, store: Store): Promise<{ actor: Actor | undefined; bearerRejected: boolean }> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = match ? await authenticateApiToken(store, match[1]!) : undefined;
    return { actor, bearerRejected: !actor };
  }
  return { actor: isSameOriginOrSafe(req) ? await getSessionActor() : undefined, bearerRejected: false };
}
