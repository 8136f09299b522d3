import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

export const STATIC_SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** @type {import('next').NextConfig} */
const nextConfig = {
  // One self-contained server (server.js + traced node_modules) for the production image.
  output: "standalone",
  outputFileTracingRoot: root,
  poweredByHeader: false,
  // Loaded by Node at run time, not bundled: the embedded store reaches into the package's files,
  // and the Azure SDKs are large server-only libraries.
  // esbuild bundles the sidecar for managed sandboxes in development (production ships the bundle).
  serverExternalPackages: ["@vercel/cosmosdb-server", "@azure/cosmos", "@azure/identity", "esbuild"],
  // Every response's security headers, also the ones proxy.ts never sees (a streamed request body
  // goes straight to its route, see proxy.ts). proxy.ts sets the same names again per request: a
  // page's nonce policy replaces this CSP, and HSTS is added when PUBLIC_URL is https (known only
  // at run time, while these are fixed at build). Must equal server/web/security-headers.ts
  // (next-config.test.ts checks); this file cannot import TypeScript.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
  // proxy.ts only ever sees bodies of at most 524,288 bytes (see its matcher).
  experimental: { proxyClientMaxBodySize: 524_288 },
  // `_`-prefixed folders are private in the App Router, so the probe paths are rewrites.
  async rewrites() {
    return [
      { source: "/__ready", destination: "/api/health/ready" },
      { source: "/__live", destination: "/api/health/live" },
    ];
  },
};

export default nextConfig;
