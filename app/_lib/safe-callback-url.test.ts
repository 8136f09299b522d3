import { describe, expect, it } from "vitest";
import { safeCallbackUrl, safeRedirectPath, signInPathFor } from "./safe-callback-url";

const ORIGIN = "https://parrot.example.com";

describe("safe redirects: only same-site paths", () => {
  it.each([
    ["/hosts", "/hosts"],
    ["/runs/run_abc?cursor=3#turn-2", "/runs/run_abc?cursor=3#turn-2"],
    ["/onboarding", "/onboarding"],
    ["/profiles/../hosts", "/hosts"],
    ["/search?q=a%20b", "/search?q=a%20b"],
  ])("keeps %j", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });

  it.each([
    // another host, outright or protocol-relative
    "https://evil.example",
    "http://evil.example/hosts",
    "//evil.example",
    "//evil.example/hosts",
    "///evil.example",
    // dot segments that resolve to a protocol-relative path
    "/.//evil.example",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/././/evil.example/hosts",
    // backslashes: browsers read them as slashes
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/hosts\\..\\..\\evil",
    // tabs, newlines, carriage returns, NUL and other controls: browsers strip them, leaving //evil
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\u0000/evil.example",
    " /hosts",
    "/ /evil.example",
    "/\u2028/evil.example",
    "/\ufeff/evil.example",
    // percent-encoded variants of the same
    "/%2fevil.example",
    "/%2Fevil.example",
    "%2f%2fevil.example",
    "/%5cevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/%252fevil.example",
    "/%25252f%25252fevil.example",
    "/%E0%A4%A", // malformed encoding
    // scripts and other schemes
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    // not paths at all
    "hosts",
    "evil.example",
    "",
    "?next=//evil",
    "#frag",
    "/" + "a".repeat(5000),
  ])("refuses %j", (input) => {
    expect(safeCallbackUrl(input)).toBe("/hosts");
  });

  it("takes the first of repeated parameters and falls back when there is none", () => {
    expect(safeCallbackUrl(["/runs", "//evil"])).toBe("/runs");
    expect(safeCallbackUrl(["//evil", "/runs"])).toBe("/hosts");
    expect(safeCallbackUrl(undefined)).toBe("/hosts");
    expect(safeCallbackUrl(null)).toBe("/hosts");
    expect(safeCallbackUrl([])).toBe("/hosts");
  });

  it("accepts an absolute URL only on exactly our own origin, reduced to its path", () => {
    const opts = { fallback: "/hosts", origin: ORIGIN };
    expect(safeRedirectPath(`${ORIGIN}/runs/run_1?x=1`, opts)).toBe("/runs/run_1?x=1");
    expect(safeRedirectPath(`${ORIGIN}`, opts)).toBe("/");
    for (const other of [
      "https://parrot.example.com.evil.example/hosts",
      "https://parrot.example.com@evil.example/hosts",
      "http://parrot.example.com/hosts",
      "https://parrot.example.com:444/hosts",
      "https://evil.example/https://parrot.example.com/",
      `${ORIGIN}//evil.example`,
      `${ORIGIN}/\\evil.example`,
      `${ORIGIN}/%2f%2fevil.example`,
      `${ORIGIN}\t/hosts`,
    ]) {
      expect(safeRedirectPath(other, opts), other).toBe("/hosts");
    }
  });

  it("never throws, whatever it is given", () => {
    for (const weird of [42, {}, [], Symbol.iterator, "%", "%%", "/%", "/%zz", "\ud800", "/\ud800"]) {
      expect(() => safeRedirectPath(weird, { fallback: "/x", origin: ORIGIN })).not.toThrow();
    }
  });
});

describe("sign-in from a deep link comes back to it", () => {
  it.each([
    ["/runs/run_abc?tab=log", "/signin?callbackUrl=%2Fruns%2Frun_abc%3Ftab%3Dlog"],
    ["/hosts", "/signin?callbackUrl=%2Fhosts"],
    ["/", "/signin"],
  ])("%j signs in and returns", (path, expected) => {
    expect(signInPathFor(path)).toBe(expected);
  });

  it.each(["//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)", "/\t/evil.com", "", null, undefined])("%j signs in to the default page", (path) => {
    expect(signInPathFor(path)).toBe("/signin");
  });
});
