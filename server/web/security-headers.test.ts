import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { proxy } from "../../proxy";
import { useSettings } from "../testing/settings";
import { HSTS, pageCsp } from "./security-headers";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("security headers (proxy.ts)", () => {
  it("gives a page a policy with a fresh nonce each time, no inline script or style, and no framing", () => {
    restore = useSettings({ NODE_ENV: "production" });
    const first = proxy(new NextRequest("http://localhost:3000/hosts")).headers.get("content-security-policy")!;
    const second = proxy(new NextRequest("http://localhost:3000/hosts")).headers.get("content-security-policy")!;
    expect(first).not.toBe(second);
    expect(first).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic';/);
    expect(first).toContain("frame-ancestors 'none'");
    expect(first).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it("gives API routes, probes and static files a policy that allows nothing", () => {
    restore = useSettings({ NODE_ENV: "production" });
    for (const path of ["/api/trpc/hosts.list", "/__ready", "/_next/static/chunks/app.js", "/logo.svg"]) {
      expect(proxy(new NextRequest(`http://localhost:3000${path}`)).headers.get("content-security-policy"), path).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it("sends HSTS only when PUBLIC_URL is https", () => {
    restore = useSettings({ PUBLIC_URL: "http://parrot.internal:3000" });
    expect(proxy(new NextRequest("http://localhost:3000/hosts")).headers.get("strict-transport-security")).toBeNull();
    restore();
    restore = useSettings({ PUBLIC_URL: "https://parrot.example.com" });
    const response = proxy(new NextRequest("https://parrot.example.com/hosts"));
    expect(response.headers.get("strict-transport-security")).toBe(HSTS);
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    for (const name of ["x-content-type-options", "referrer-policy", "x-frame-options"]) expect(response.headers.get(name), name).toBeTruthy();
  });

  it("lets development keep what React's dev tools need, and only there", () => {
    expect(pageCsp("n", { development: true, upgradeInsecureRequests: false })).toContain("'unsafe-eval'");
    expect(pageCsp("n", { development: false, upgradeInsecureRequests: false })).not.toContain("'unsafe-eval'");
  });
});
