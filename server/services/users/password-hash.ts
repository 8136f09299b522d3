import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { TPasswordHash } from "@/prisma-free-schema";

/**
 * scrypt, memory-hard: N = 2^15, r = 8, p = 1 takes 32 MiB and tens of milliseconds per guess
 * (OWASP's password storage cheat sheet lists N=2^17 r=8 p=1 as a floor for new systems, but
 * also N=2^15 r=8 p=3 as equivalent; we keep memory modest for a shared host and raise p).
 * The parameters are stored with each hash, so raising them later leaves old hashes checkable.
 */
const PARAMS = { cost: 2 ** 15, blockSize: 8, parallelization: 3 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: Pick<TPasswordHash, "cost" | "blockSize" | "parallelization">): Promise<Buffer> {
  const maxmem = 256 * params.cost * params.blockSize + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { N: params.cost, r: params.blockSize, p: params.parallelization, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<TPasswordHash> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);
  return { algorithm: "scrypt", ...PARAMS, salt: salt.toString("base64"), hash: hash.toString("base64") };
}

/** A hash of nothing anyone knows, checked when there is no account, so timing does not tell. */
let decoy: Promise<TPasswordHash> | undefined;

/**
 * Whether `password` is the one `stored` was made from, compared in constant time. With no stored
 * hash (unknown account, or one without a password) it still costs one full hash and says no.
 */
export async function verifyPassword(password: string, stored: TPasswordHash | null | undefined): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(32).toString("base64"));
  const against = stored ?? (await decoy);
  const expected = Buffer.from(against.hash, "base64");
  const actual = await derive(password, Buffer.from(against.salt, "base64"), against);
  const same = actual.length === expected.length && timingSafeEqual(actual, expected);
  return same && stored !== null && stored !== undefined;
}
