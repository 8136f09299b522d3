import { describe, expect, it } from "vitest";
// @ts-expect-error -- next.config.mjs is plain JavaScript with JSDoc types, outside the TypeScript build.
import nextConfig, { STATIC_SECURITY_HEADERS } from "../../next.config.mjs";
import { API_CSP, baseSecurityHeaders } from "./security-headers";

describe("next.config.mjs security headers", () => {
  it("are the same headers proxy.ts sets, for every path (so responses the proxy never sees carry them too)", async () => {
    expect(STATIC_SECURITY_HEADERS).toEqual({ ...baseSecurityHeaders({ hsts: false }), "content-security-policy": API_CSP });
    const routes = await (nextConfig as { headers: () => Promise<unknown> }).headers();
    expect(routes).toEqual([{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }]);
  });
});
