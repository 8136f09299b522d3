import { describe, expect, it } from "vitest";
import { redactString } from "../../redact";
import { fingerprintOf, hashInstallKey, installKeyMatches, looksLikeInstallKey, mintInstallKey } from "./install-key";

describe("install keys", () => {
  it("carry 256 random bits behind opk_ and are stored only as a hash and a fingerprint", () => {
    const minted = mintInstallKey();
    expect(minted.key).toMatch(/^opk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(minted.key.slice(4), "base64url")).toHaveLength(32);
    expect(minted.hash).toBe(hashInstallKey(minted.key));
    expect(minted.hash).not.toContain(minted.key.slice(4, 20));
    expect(minted.fingerprint).toBe(fingerprintOf(minted.hash));
    expect(minted.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(mintInstallKey().key).not.toBe(minted.key);
  });

  it("match only the key they were minted as", () => {
    const minted = mintInstallKey();
    expect(installKeyMatches(minted.key, minted.hash)).toBe(true);
    expect(installKeyMatches(mintInstallKey().key, minted.hash)).toBe(false);
    expect(installKeyMatches(minted.key, null)).toBe(false);
    expect(installKeyMatches(minted.key, "not-a-hash")).toBe(false);
    expect(looksLikeInstallKey(minted.key)).toBe(true);
    expect(looksLikeInstallKey("opk_short")).toBe(false);
  });

  it("never survive into a log line", () => {
    const { key } = mintInstallKey();
    expect(redactString(`operator presented ${key}`)).toBe("operator presented opk_[redacted]");
  });
});
