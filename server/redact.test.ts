import { describe, expect, it } from "vitest";
import { redact, redactString } from "./redact";

describe("redaction", () => {
  it("drops values under secret-looking keys at any depth and keeps fingerprints", () => {
    const out = redact({ name: "ci", secretHash: "abc", nested: { authorization: "Bearer x", keyFingerprint: "fp:12" }, list: [{ password: "p" }] });
    expect(out).toEqual({ name: "ci", secretHash: "[redacted]", nested: { authorization: "[redacted]", keyFingerprint: "fp:12" }, list: [{ password: "[redacted]" }] });
  });

  it("removes bearer tokens, install keys and JWTs from free text", () => {
    const text = "used dpt_tok_abcdefghijkmnpqrstuv_Zm9vYmFyYmF6 and opk_0123456789abcdef with eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz";
    const out = redactString(text);
    expect(out).not.toMatch(/abcdefghijkmnpqrstuv|0123456789abcdef|eyJzdWIi/);
    expect(out).toContain("dpt_[redacted]");
    expect(out).toContain("opk_[redacted]");
  });

  it("removes the secret of an invite link", () => {
    const out = redactString("opened https://parrot.example/invite#dpi_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhx");
    expect(out).toBe("opened https://parrot.example/invite#dpi_[redacted]");
  });

  it("redacts account keys inside connection strings", () => {
    expect(redactString("Endpoint=https://x;AccessKey=c2VjcmV0;Version=1.0")).toBe("Endpoint=https://x;AccessKey=[redacted];Version=1.0");
  });

  it("finds secrets at any depth: deep values are cut, never passed through", () => {
    let deep: unknown = { note: "access_token=deepsecret", password: "p" };
    for (let i = 0; i < 20; i += 1) deep = { level: i, nested: deep, list: [deep] };
    const text = JSON.stringify(redact(deep));
    expect(text).not.toContain("deepsecret");
    expect(text).not.toContain('"p"');
  });

  it("removes access tokens, passwords and bearer values from free text, keeping what kind they were", () => {
    expect(redactString("wss://hub/client/hubs/h?access_token=abc.def&x=1")).toBe("wss://hub/client/hubs/h?access_token=[redacted]&x=1");
    expect(redactString("Authorization: Bearer abcdefgh12345678")).toBe("Authorization: Bearer [redacted]");
    expect(redactString('{"password":"p@ss\\"word","user":"ann"}')).toBe('{"password":"[redacted]","user":"ann"}');
    expect(redactString("login with password: hunter2, then")).toBe("login with password: [redacted], then");
    expect(redactString("client_secret=xyz;next")).toBe("client_secret=[redacted];next");
  });
});
