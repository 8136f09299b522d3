import { describe, expect, it } from "vitest";
import { restAudienceMatcher, signClientToken, VerifiedTokens, verifyJwt } from "./hub-tokens";

const KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";
const URL_SENT = "http://127.0.0.1:8123/api/hubs/discoparrot/users/host%3Ah1/:send?api-version=2024-12-01";
const NOW = Date.UTC(2026, 0, 1);

function token(claims: Record<string, unknown>, key = KEY): string {
  return signClientToken(key, { exp: NOW / 1000 + 3600, aud: URL_SENT, ...claims });
}

describe("a REST token checked once and remembered", () => {
  const matcher = restAudienceMatcher("127.0.0.1:8123", "/api/hubs/discoparrot/users/host%3Ah1/:send?api-version=2024-12-01");

  it("is accepted again from memory, and still refused once it has expired", () => {
    const verified = new VerifiedTokens();
    const bearer = token({});
    expect(verifyJwt(bearer, KEY, matcher, NOW, verified).ok).toBe(true);
    expect(verified.get(bearer)).toBeDefined();
    expect(verifyJwt(bearer, KEY, matcher, NOW, verified).ok).toBe(true);
    const later = NOW + 2 * 3600 * 1000;
    expect(verifyJwt(bearer, KEY, matcher, later, verified)).toEqual({ ok: false, reason: "the token has expired" });
  });

  it("is still refused for another URL, however often it was accepted for its own", () => {
    const verified = new VerifiedTokens();
    const bearer = token({});
    expect(verifyJwt(bearer, KEY, matcher, NOW, verified).ok).toBe(true);
    const elsewhere = restAudienceMatcher("127.0.0.1:8123", "/api/hubs/discoparrot/users/host%3Ah2/:send?api-version=2024-12-01");
    expect(verifyJwt(bearer, KEY, elsewhere, NOW, verified)).toEqual({ ok: false, reason: "the token was issued for another audience" });
  });

  it("never remembers a token signed with another key", () => {
    const verified = new VerifiedTokens();
    const forged = token({}, "another key entirely, not the hub's");
    expect(verifyJwt(forged, KEY, matcher, NOW, verified).ok).toBe(false);
    expect(verified.get(forged)).toBeUndefined();
    expect(verifyJwt(forged, KEY, matcher, NOW, verified).ok).toBe(false);
  });

  it("matches the audience without regard to case or encoding, as before", () => {
    expect(matcher(URL_SENT)).toBe(true);
    expect(matcher(URL_SENT.toUpperCase())).toBe(true);
    expect(matcher("http://127.0.0.1:8123/api/hubs/discoparrot/users/host:h1/:send")).toBe(true);
    expect(matcher("http://127.0.0.1:8123/api/hubs/discoparrot/users/host:h2/:send")).toBe(false);
  });
});
