import type { Actor } from "../auth/actor";
import { clientAddressOf } from "../auth/client-address";
import { authenticateRequest } from "../auth/request-actor";
import { log, type Logger } from "../log";
import { getStore, type Store } from "../store/store";

/**
 * One context for every caller: the `/api/trpc` route builds it from the request, tests build
 * it directly with a real store and an actor. `bearerRejected` tells apart "no credentials"
 * from "a token was sent and refused", so the error can say which.
 */
export interface Context {
  requestId: string;
  store: Store;
  actor: Actor | undefined;
  bearerRejected: boolean;
  log: Logger;
  /** The address the caller reached us at (e.g. https://parrot.example.com); unset for callers built in code. */
  origin?: string | undefined;
  /** The client's network address (sign-in limits per address); unset for callers built in code. */
  clientAddress?: string | undefined;
  /**
   * Filled by a procedure whose refusal must reach HTTP itself (an event stream over its cap:
   * 429 + Retry-After); the /api/trpc route copies it onto the response. One object shared by
   * every copy of the context, so a procedure deep in the middleware chain can set it.
   */
  http?: HttpOverride;
}

export interface HttpOverride {
  status?: number;
  headers: Record<string, string>;
}

/** A host name or bracketed IPv6 address, optionally with a port: nothing that could add a path or credentials. */
const HOST_HEADER = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

export { requestIdOf } from "../web/request-id";

/**
 * The origin the request was addressed to, as a browser sees it: behind a proxy the forwarded
 * host and protocol (first hop), else the Host header, else the URL Next.js handed us. Only a
 * fallback for when PUBLIC_URL is unset (local use), where the request's Host is trusted anyway.
 */
export function requestOriginOf(req: Request): string | undefined {
  const first = (name: string) => req.headers.get(name)?.split(",")[0]?.trim() || undefined;
  try {
    const url = new URL(req.url);
    const host = first("x-forwarded-host") ?? first("host") ?? url.host;
    const protocol = first("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
    if ((protocol !== "http" && protocol !== "https") || !HOST_HEADER.test(host)) return undefined;
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}

export async function createRequestContext(req: Request, requestId: string): Promise<Context> {
  const store = await getStore();
  const { actor, bearerRejected } = await authenticateRequest(req, store);
  return { requestId, store, actor, bearerRejected, log: log.child({ requestId }), origin: requestOriginOf(req), clientAddress: clientAddressOf(req.headers), http: { headers: {} } };
}
