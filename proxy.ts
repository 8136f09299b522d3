import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "./server/env";
import { newRequestId, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "./server/web/request-id";
import { API_CSP, baseSecurityHeaders, isDataPath, isHttpsPublicUrl, pageCsp } from "./server/web/security-headers";

/**
 * Runs before every request that carries no body or a small declared one (see `config` below):
 * gives each page a fresh CSP nonce and puts the security headers on every response. (Bodies are
 * capped by the routes that read them: server/web/body-limit.ts.)
 * (Next.js 16 calls this file `proxy.ts`; it was `middleware.ts` before.)
 */
export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  const hsts = isHttpsPublicUrl(env.publicUrl);

  const headers = baseSecurityHeaders({ hsts });
  let csp = API_CSP;
  const forward = new Headers(request.headers);
  // One id per request, seen by the page or route (and its logs) and by the person (response header, error pages).
  const requestId = newRequestId();
  forward.set(REQUEST_ID_HEADER, requestId);
  // Always ours, never the client's: the platform layout sends a signed-out person to sign in and back here.
  forward.set(REQUEST_PATH_HEADER, pagePathOf(request.nextUrl));
  if (!isDataPath(request.nextUrl.pathname)) {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    csp = pageCsp(nonce, { development: env.nodeEnv === "development", upgradeInsecureRequests: hsts });
    // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
    forward.set("content-security-policy", csp);
    forward.set("x-nonce", nonce);
  }
  const response = NextResponse.next({ request: { headers: forward } });
  response.headers.set("content-security-policy", csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The path and query a person asked for: without the `_rsc` marker Next.js adds to its own page fetches. */
function pagePathOf(url: URL): string {
  const query = new URLSearchParams(url.search);
  query.delete("_rsc");
  const search = query.toString();
  return `${url.pathname}${search ? `?${search}` : ""}`;
}

/**
 * Every path, but only requests Next.js can hand to a proxy without reading a large body first:
 * with a proxy in front, Next.js reads the whole request body before the route runs (and waits
 * for its end, so a body that never ends would never be answered). So a request with
 * `transfer-encoding` (a streamed body of unknown length) or a declared length over 524,288
 * bytes — the smallest REQUEST_BODY_LIMIT_BYTES allows — skips this file and goes straight to its
 * route, which refuses a declared length over the cap unread and counts a streamed body's bytes
 * as they arrive (server/web/body-limit.ts); next.config.mjs gives those answers the same
 * security headers. So no body over the cap is ever read in full anywhere.
 */
export const config = {
  matcher: [
    {
      source: "/:path*",
      missing: [
        { type: "header", key: "transfer-encoding" },
        { type: "header", key: "content-length" },
      ],
    },
    {
      source: "/:path*",
      // 0 … 524288, the smallest cap REQUEST_BODY_LIMIT_BYTES may be set to.
      has: [{ type: "header", key: "content-length", value: "(\\d{1,5}|[1-4]\\d{5}|5[01]\\d{4}|52[0-3]\\d{3}|524[01]\\d{2}|5242[0-7]\\d|52428[0-8])" }],
      missing: [{ type: "header", key: "transfer-encoding" }],
    },
  ],
};
