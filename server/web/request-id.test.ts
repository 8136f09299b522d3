import { describe, expect, it } from "vitest";
import { REQUEST_ID_HEADER, REQUEST_PATH_HEADER, requestIdOf, requestPathOf } from "./request-id";

/**
 * The request id and page path as pages read them. proxy.ts sets both on every request it sees;
 * a request it skips (a large declared body) carries whatever the client sent, so what a page
 * reads is checked again: a made-up id, or a path that is not this site's, is never used.
 */
describe("a request's id and page path", () => {
  it("keeps an id shaped as the proxy makes them, and makes a fresh one for anything else", () => {
    const made = crypto.randomUUID();
    expect(requestIdOf(new Headers({ [REQUEST_ID_HEADER]: made }))).toBe(made);
    for (const forged of ["short", "has spaces in it", "line\\nbreak-0123456789", "x".repeat(65)]) {
      const id = requestIdOf(new Headers({ [REQUEST_ID_HEADER]: forged }));
      expect(id).not.toBe(forged);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keeps a same-site path with its query, and answers / for anything that could lead elsewhere or not parse", () => {
    expect(requestPathOf(new Headers({ [REQUEST_PATH_HEADER]: "/runs/run_abc?from=mail" }))).toBe("/runs/run_abc?from=mail");
    for (const forged of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "runs", "/" + "a".repeat(5000)]) {
      expect(requestPathOf(new Headers({ [REQUEST_PATH_HEADER]: forged }))).toBe("/");
    }
    expect(requestPathOf(new Headers())).toBe("/");
  });
});
