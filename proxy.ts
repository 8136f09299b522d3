import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "./server/env";
import { bodyTooLargeResponse, declaredBodyTooLarge } from "./server/web/body-limit";
import { API_CSP, baseSecurityHeaders, isDataPath, isHttpsPublicUrl, pageCsp } from "./server/web/security-headers";

/**
 * Runs before every request that carries no body or a small declared one (see `config` below):
 * gives each page a fresh CSP nonce, puts the security headers on every response, and answers
 * 413 at once to a body whose declared length is over REQUEST_BODY_LIMIT_BYTES.
 * (Next.js 16 calls this file `proxy.ts`; it was `middleware.ts` before.)
 */
export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  const hsts = isHttpsPublicUrl(env.publicUrl);
  if (declaredBodyTooLarge(request.headers, env.limits.requestBodyBytes)) {
    return bodyTooLargeResponse(env.limits.requestBodyBytes, { hsts }) as NextResponse;
  }

  const headers = baseSecurityHeaders({ hsts });
  let csp = API_CSP;
  const forward = new Headers(request.headers);
  if (!isDataPath(request.nextUrl.pathname)) {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    csp = pageCsp(nonce, { development: env.nodeEnv === "development", upgradeInsecureRequests: hsts });
    // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
    forward.set("content-security-policy", csp);
    forward.set("x-nonce", nonce);
  }
  const response = NextResponse.next({ request: { headers: forward } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * Every path, but only requests Next.js can hand to a proxy without reading an unbounded body
 * first: with a proxy in front, Next.js buffers the whole request body before the route runs
 * (and waits for its end, so a body that never ends would never be answered). So a request with
 * `transfer-encoding` (a streamed body of unknown length) or a declared length of 8 digits or
 * more (≥ 10 MB) skips this file and goes straight to its route, which counts the bytes as they
 * arrive and answers 413 past the cap (server/web/body-limit.ts); next.config.mjs gives those
 * answers the same security headers.
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
      has: [{ type: "header", key: "content-length", value: "\\d{1,7}" }],
      missing: [{ type: "header", key: "transfer-encoding" }],
    },
  ],
};
