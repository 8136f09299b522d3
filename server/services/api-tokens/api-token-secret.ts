import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { API_TOKEN_PREFIX, ZApiTokenId } from "@/prisma-free-schema";

/**
 * The bearer value: `dpt_<token id>_<43 base64url chars = 256 random bits>`. The id lets the
 * platform find the token with one point read; only sha-256 of the secret part is stored, which
 * is enough for a value with that much entropy (no password-style stretching needed).
 */
export function mintApiTokenSecret(tokenId: string): { bearer: string; secretHash: string; preview: string } {
  const secret = randomBytes(32).toString("base64url");
  return {
    bearer: `${API_TOKEN_PREFIX}${tokenId}_${secret}`,
    secretHash: hashSecret(secret),
    preview: `${API_TOKEN_PREFIX}${tokenId.slice(0, 10)}…${secret.slice(-4)}`,
  };
}

export function parseBearer(bearer: string): { tokenId: string; secret: string } | undefined {
  if (!bearer.startsWith(API_TOKEN_PREFIX)) return undefined;
  const rest = bearer.slice(API_TOKEN_PREFIX.length);
  const tokenId = rest.slice(0, 24); // "tok_" + 20
  const secret = rest.slice(25);
  if (rest[24] !== "_" || !ZApiTokenId.safeParse(tokenId).success || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { tokenId, secret };
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function secretMatches(secret: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(secret), "hex"), Buffer.from(storedHash, "hex"));
}
