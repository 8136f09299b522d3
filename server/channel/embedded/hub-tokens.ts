import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The two kinds of bearer the hub checks, both HS256 JWTs signed with the access key's UTF-8
 * bytes (the SDK never base64-decodes the key): client tokens on the WebSocket endpoint and
 * per-request tokens on the REST data plane. The rules mirror the official emulator's
 * `WebPubSubTokenService`: `exp` required, 5 minutes of clock skew, audience compared without
 * regard to case. See /work/shared/WEBPUBSUB.md §2.2 and §3.1.
 */
export const CLOCK_SKEW_SECONDS = 5 * 60;

export type JwtClaims = Record<string, unknown>;
export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Tokens whose signature this hub already checked, with their claims. The SDK signs a token per
 * REST call, but the same call to the same URL within a second is the same token; checking it
 * again (an HMAC and two JSON parses) was a measurable share of sending a command. Only the
 * signature and the parsed claims are remembered: expiry and audience are checked on every use.
 */
export class VerifiedTokens {
  private readonly claims = new Map<string, JwtClaims>();
  constructor(private readonly max = 1024) {}

  get(token: string): JwtClaims | undefined {
    return this.claims.get(token);
  }

  remember(token: string, claims: JwtClaims): void {
    // Forgetting everything at once keeps this small and simple; a miss only costs a new check.
    if (this.claims.size >= this.max) this.claims.clear();
    this.claims.set(token, claims);
  }
}

export function verifyJwt(token: string, accessKey: string, audienceMatches: (aud: string) => boolean, nowMs = Date.now(), verified?: VerifiedTokens): JwtCheck {
  const known = verified?.get(token);
  if (known) return checkClaims(known, audienceMatches, nowMs);
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return { ok: false, reason: "the token is not a JWT" };
  const [head, body, signature] = parts as [string, string, string];
  // Only HS256: accepting the header's choice of algorithm (e.g. "none") is the classic JWT hole.
  if (decodeSegment(head)?.alg !== "HS256") return { ok: false, reason: "the token is not signed with HS256" };
  const expected = createHmac("sha256", Buffer.from(accessKey, "utf8")).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "the token is not signed with this hub's access key" };
  }
  const claims = decodeSegment(body);
  if (!claims) return { ok: false, reason: "the token's claims are not a JSON object" };
  verified?.remember(token, claims);
  return checkClaims(claims, audienceMatches, nowMs);
}

function checkClaims(claims: JwtClaims, audienceMatches: (aud: string) => boolean, nowMs: number): JwtCheck {
  const now = nowMs / 1000;
  if (typeof claims.exp !== "number") return { ok: false, reason: "the token has no expiry" };
  if (now > claims.exp + CLOCK_SKEW_SECONDS) return { ok: false, reason: "the token has expired" };
  if (typeof claims.nbf === "number" && now + CLOCK_SKEW_SECONDS < claims.nbf) return { ok: false, reason: "the token is not valid yet" };
  const audiences = stringList(claims.aud);
  if (!audiences.some(audienceMatches)) return { ok: false, reason: "the token was issued for another audience" };
  return { ok: true, claims };
}

/** The audience of a client token: always the http(s) form, e.g. `http://127.0.0.1:5000/client/hubs/chat`. */
export function clientAudienceMatcher(host: string, hub: string): (aud: string) => boolean {
  const expected = `http://${host}/client/hubs/${hub}`.toLowerCase();
  return (aud) => aud.toLowerCase() === expected;
}

/**
 * The audience of a REST token: the JS SDK signs the full request URL, query included; the REST
 * docs say without the query. Accept both, also URL-decoded, as the emulator does.
 */
export function restAudienceMatcher(host: string, rawPath: string): (aud: string) => boolean {
  const full = `http://${host}${rawPath}`;
  let accepted: Set<string> | undefined;
  return (aud) => {
    // The SDK's own form first: the whole URL as it was sent.
    if (aud === full) return true;
    const withoutQuery = full.split("?")[0] ?? full;
    accepted ??= new Set([full, withoutQuery, safeDecode(full), safeDecode(withoutQuery)].map((url) => url.toLowerCase()));
    return accepted.has(aud.toLowerCase()) || accepted.has(safeDecode(aud).toLowerCase());
  };
}

/** `role` and `webpubsub.group` may be a string or an array of strings. */
export function stringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

/** `ce-signature`: lower-case hex HMAC-SHA256 of the connection id, keyed by the access key (§5.3). */
export function eventSignature(accessKey: string, connectionId: string): string {
  return `sha256=${createHmac("sha256", Buffer.from(accessKey, "utf8")).update(connectionId, "utf8").digest("hex")}`;
}

/** Signs a client token the way `getClientAccessToken` does; used by `:generateToken`. */
export function signClientToken(accessKey: string, claims: JwtClaims): string {
  const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", Buffer.from(accessKey, "utf8")).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function decodeSegment(segment: string): JwtClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
