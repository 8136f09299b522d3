import { z } from "zod";

/**
 * Ids are a short type prefix and 20 random base-32 characters (100 bits), e.g. `ws_k3j…`.
 * The prefix makes a pasted id self-describing in logs, support tickets and the audit trail.
 */
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

export function newId<P extends string>(prefix: P): `${P}_${string}` {
  // Web Crypto, so the schemas also load in the browser bundle.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(20));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

function prefixedId(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[a-z0-9]{20}$`), { message: `Must be a ${prefix}_… id` });
}

export const ZWorkspaceId = prefixedId("ws");
export const ZUserId = prefixedId("usr");
export const ZMemberId = prefixedId("mem");
export const ZApiTokenId = prefixedId("tok");
export const ZAuditEventId = prefixedId("aud");
/** Here rather than in profile.ts, which imports host.ts: a host's warm pools name profiles. */
export const ZProfileId = prefixedId("prof");

/** ISO-8601 timestamps in UTC, as the store keeps them. */
export const ZTimestamp = z.iso.datetime();
