import { describe, expect, it } from "vitest";
import { requestOriginOf } from "./context";

const request = (headers: Record<string, string>) => new Request("http://0.0.0.0:3000/api/trpc/hosts.downloadOperatorBundle", { method: "POST", headers });

describe("the request's own origin (the platform URL when PUBLIC_URL is unset)", () => {
  it("is what the browser addressed: the Host header, else the URL", () => {
    expect(requestOriginOf(request({ host: "localhost:3000" }))).toBe("http://localhost:3000");
    expect(requestOriginOf(new Request("http://127.0.0.1:4000/api/trpc/x"))).toBe("http://127.0.0.1:4000");
  });

  it("follows the first hop of a proxy's forwarded host and protocol", () => {
    expect(requestOriginOf(request({ host: "10.0.0.4:3000", "x-forwarded-host": "parrot.example.com, inner", "x-forwarded-proto": "https" }))).toBe(
      "https://parrot.example.com",
    );
  });

  it("is unknown rather than anything that could smuggle a path, credentials or another scheme", () => {
    expect(requestOriginOf(request({ host: "evil.example/steal" }))).toBeUndefined();
    expect(requestOriginOf(request({ host: "me@evil.example" }))).toBeUndefined();
    expect(requestOriginOf(request({ host: "parrot.example.com", "x-forwarded-proto": "javascript" }))).toBeUndefined();
  });
});
