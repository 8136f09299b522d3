/**
 * The headers every response carries (issue 10 item 4). Pages get a Content-Security-Policy with
 * a fresh nonce per request, which Next.js reads back from the request's CSP header and puts on
 * its own scripts (https://nextjs.org/docs/app/guides/content-security-policy); everything else
 * (API routes, static files, probes) gets a policy that allows nothing at all. Both forbid
 * framing. Plain data, no Next.js import: next.config.mjs, proxy.ts and route handlers use it.
 */

/** What a JSON answer, a stream or a static file needs from a browser: nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A page: scripts only with this request's nonce ('strict-dynamic' lets those load the chunks
 * they import); styles from our own files or carrying the nonce (Next.js puts it on its inline
 * style tags), never an inline style attribute; fetches and streams to our own origin only; no
 * plugins, no <base> rewriting, forms post only to us, no framing by anyone.
 * Development needs 'unsafe-eval' (React rebuilds server stacks with eval) and inline styles
 * (the dev overlay); production has neither.
 */
export function pageCsp(nonce: string, options: { development: boolean; upgradeInsecureRequests: boolean }): string {
  const { development } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.upgradeInsecureRequests ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Two years, subdomains included: the usual value for a site that is https-only for good. */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The headers that do not depend on the request. `hsts` only when the platform's public URL is
 * https: sending it over plain http is ignored by browsers, and on localhost it would pin a
 * developer's other local sites to https.
 */
export function baseSecurityHeaders(options: { hsts: boolean }): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    // The path and query of our pages (run ids, cursors) never leave for another site.
    "referrer-policy": "strict-origin-when-cross-origin",
    // For browsers that predate frame-ancestors.
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(options.hsts ? { "strict-transport-security": HSTS } : {}),
  };
}

/** Whether a request path is served as data (API, probes, static files) rather than as a page. */
export function isDataPath(pathname: string): boolean {
  return (
    pathname.startsWith("/api/") ||
    pathname === "/api" ||
    pathname.startsWith("/_next/static/") ||
    pathname.startsWith("/_next/image") ||
    pathname === "/__ready" ||
    pathname === "/__live" ||
    /\.(svg|png|ico|txt|json|webmanifest)$/.test(pathname)
  );
}

/** True when PUBLIC_URL (as configured) is an https URL. */
export function isHttpsPublicUrl(publicUrl: string | undefined): boolean {
  return typeof publicUrl === "string" && publicUrl.toLowerCase().startsWith("https://");
}
