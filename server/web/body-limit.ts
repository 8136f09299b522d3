import { getEnv } from "../env";
import { API_CSP, baseSecurityHeaders, HSTS, isHttpsPublicUrl } from "./security-headers";

/**
 * Request bodies are capped on every route before anything parses them (issue 10 item 5): a
 * declared Content-Length over the cap is refused without reading a byte, and a body of unknown
 * length is counted as it arrives and refused the moment it passes the cap, so a body that never
 * ends is still answered. REQUEST_BODY_LIMIT_BYTES sets the cap.
 */

const DIGITS = /^\d{1,16}$/;

/** True when the request declares a body longer than `limit` (or a length that is not a number). */
export function declaredBodyTooLarge(headers: Headers, limit: number): boolean {
  const declared = headers.get("content-length");
  if (declared === null) return false;
  return !DIGITS.test(declared.trim()) || Number(declared.trim()) > limit;
}

/**
 * The 413, in the same JSON shape as the platform's other refusals. `connection: close` so the
 * server does not go on reading (and discarding) a body that may never end to reuse the socket.
 */
export function bodyTooLargeResponse(limit: number, options: { hsts: boolean }): Response {
  return Response.json(
    { error: "payload_too_large", message: `The request body is larger than this platform accepts (${limit} bytes).` },
    {
      status: 413,
      headers: { ...baseSecurityHeaders(options), "content-security-policy": API_CSP, "cache-control": "no-store", connection: "close" },
    },
  );
}

export type CappedBody = { ok: true; bytes: Uint8Array } | { ok: false };

/**
 * Reads the request's body, at most `limit` bytes: `ok: false` as soon as the declared length or
 * the bytes counted so far pass it (the rest is never read; the stream is cancelled).
 */
export async function readCappedBody(request: Request, limit: number): Promise<CappedBody> {
  if (declaredBodyTooLarge(request.headers, limit)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/**
 * Wraps a route handler so its request body is capped: the handler receives a request whose body
 * has been read (within the cap) into memory, or the caller gets the 413 and the handler never
 * runs. GET and HEAD pass through untouched (they carry no body a handler reads).
 */
export function withBodyLimit<C extends unknown[]>(
  handler: (request: Request, ...rest: C) => Promise<Response> | Response,
  settings: () => { limit: number; hsts: boolean },
): (request: Request, ...rest: C) => Promise<Response> {
  return async (request, ...rest) => {
    if (request.method === "GET" || request.method === "HEAD") return handler(request, ...rest);
    const { limit, hsts } = settings();
    const body = await readCappedBody(request, limit);
    if (!body.ok) return bodyTooLargeResponse(limit, { hsts });
    const response = await handler(rebuild(request, body.bytes), ...rest);
    // A large or streamed body skipped proxy.ts (see its matcher), and with it the HSTS header
    // that depends on PUBLIC_URL at run time; next.config.mjs gave the rest.
    if (hsts && !response.headers.has("strict-transport-security")) {
      try {
        response.headers.set("strict-transport-security", HSTS);
      } catch {
        // An immutable response (a redirect made by Response.redirect): it went without.
      }
    }
    return response;
  };
}

/** The same request with its body in memory. A NextRequest stays a NextRequest (next-auth reads its cookies). */
function rebuild(request: Request, bytes: Uint8Array): Request {
  const init: RequestInit = { method: request.method, headers: request.headers, body: bytes.byteLength > 0 ? (bytes as BodyInit) : null, signal: request.signal };
  const Constructor = request.constructor as new (input: string, init: RequestInit) => Request;
  try {
    return new Constructor(request.url, init);
  } catch {
    return new Request(request.url, init);
  }
}

/** The cap and HSTS as configured (REQUEST_BODY_LIMIT_BYTES, PUBLIC_URL): what every route passes to withBodyLimit. */
export function configuredBodyLimit(): { limit: number; hsts: boolean } {
  const env = getEnv();
  return { limit: env.limits.requestBodyBytes, hsts: isHttpsPublicUrl(env.publicUrl) };
}
