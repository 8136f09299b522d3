import { z } from "zod";
import { ZTimestamp, ZUserId } from "./ids";
import { plainName } from "./plain-name";

/** Emails are compared case-insensitively everywhere, so they are stored lower-cased. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address" }).max(254));

export const ZPersonName = z
  .string()
  .trim()
  .min(1, { message: "Enter a name" })
  .max(100, { message: "Names are at most 100 characters" })
  .refine(...plainName);

/**
 * What a person types as a password. Length is what makes a password strong; 12 is the floor,
 * 200 the ceiling (scrypt hashes any length, but a megabyte "password" is only a way to burn CPU).
 * Never trimmed: spaces are part of it.
 */
export const ZPassword = z
  .string()
  .min(12, { message: "Use at least 12 characters" })
  .max(200, { message: "Passwords are at most 200 characters" });

/**
 * Who a person is, keyed by how they sign in and never by email alone: a local account by its
 * login email, an Entra ID account by tenant and object id. Two identities with the same email are
 * two different people to the platform. `legacy-entra` marks user documents written before
 * identities existed by an Entra sign-in: keyed by email only, they sign nobody in any more.
 */
export const ZUserIdentity = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("local"), email: ZEmail }),
  z.object({ provider: z.literal("entra"), tenantId: z.string().min(1).max(100), objectId: z.string().min(1).max(100) }),
  z.object({ provider: z.literal("legacy-entra"), email: ZEmail }),
]);
export type TUserIdentity = z.infer<typeof ZUserIdentity>;

/** A local account's password: scrypt with its own salt and the parameters it was hashed with. */
export const ZPasswordHash = z.object({
  algorithm: z.literal("scrypt"),
  /** scrypt's N (CPU/memory cost), r (block size) and p (parallelisation). */
  cost: z.number().int().min(2),
  blockSize: z.number().int().min(1),
  parallelization: z.number().int().min(1),
  salt: z.base64(),
  hash: z.base64(),
});
export type TPasswordHash = z.infer<typeof ZPasswordHash>;

const ZUserDocument = z.object({
  id: ZUserId,
  type: z.literal("user"),
  identity: ZUserIdentity,
  email: ZEmail,
  name: ZPersonName,
  /** Local accounts only; null for Entra people and for local accounts made before passwords. */
  password: ZPasswordHash.nullable().default(null),
  /** How they signed in last: `local` or `entra`. */
  lastProvider: z.enum(["local", "entra"]),
  createdAt: ZTimestamp,
  lastSignInAt: ZTimestamp,
  passwordChangedAt: ZTimestamp.nullable().default(null),
});

/**
 * A person who has signed in at least once. Documents written before identities (no `identity`)
 * still load: a local one is the local account of its email (same id, no password, so production
 * refuses it until the platform operator issues a set-password link); an Entra one is marked
 * `legacy-entra` and signs nobody in.
 */
export const ZUser = z.preprocess((value) => {
  if (!value || typeof value !== "object" || "identity" in value) return value;
  const legacy = value as { email?: unknown; lastProvider?: unknown };
  const provider = legacy.lastProvider === "local" ? "local" : "legacy-entra";
  return { ...value, identity: { provider, email: legacy.email } };
}, ZUserDocument);
export type TUser = z.infer<typeof ZUser>;
