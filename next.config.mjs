import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

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
  // `_`-prefixed folders are private in the App Router, so the probe paths are rewrites.
  async rewrites() {
    return [
      { source: "/__ready", destination: "/api/health/ready" },
      { source: "/__live", destination: "/api/health/live" },
    ];
  },
};

export default nextConfig;
