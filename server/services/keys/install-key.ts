import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Install keys (seed: network and connectivity): `opk_` + 256 random bits, shown once inside
 * the bundle, stored only as sha-256 (a 256-bit random key needs no password-style stretching),
 * compared in constant time. The fingerprint is what audit rows and the host page show: enough
 * to match a key to a download, useless for connecting.
 */
export const INSTALL_KEY_PREFIX = "opk_";
const KEY = /^opk_[A-Za-z0-9_-]{43}$/;

export interface MintedInstallKey {
  key: string;
  hash: string;
  fingerprint: string;
}

export function mintInstallKey(): MintedInstallKey {
  const key = `${INSTALL_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const hash = hashInstallKey(key);
  return { key, hash, fingerprint: fingerprintOf(hash) };
}

export function hashInstallKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function fingerprintOf(hash: string): string {
  return `sha256:${hash.slice(0, 12)}`;
}

export function looksLikeInstallKey(value: string): boolean {
  return KEY.test(value);
}

/** Constant time whatever the input: both sides are 32-byte digests. */
export function installKeyMatches(presented: string, storedHash: string | null): boolean {
  const given = Buffer.from(hashInstallKey(presented), "hex");
  const stored = storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, "hex") : Buffer.alloc(32);
  return timingSafeEqual(given, stored) && storedHash !== null;
}
