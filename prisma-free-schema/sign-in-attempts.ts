import { z } from "zod";
import { ZTimestamp, ZUserId } from "./ids";

/**
 * Failed password sign-ins counted per account and per client address (the id is a digest of
 * which, never the email or address itself), in the store so a restart or a second process
 * counts on. Each expires with its window.
 */
export const ZSignInAttempts = z.object({
  id: z.string().regex(/^[0-9a-f]{40}$/),
  windowStart: ZTimestamp,
  failures: z.number().int().min(0),
  ttl: z.number().int().positive(),
});
export type TSignInAttempts = z.infer<typeof ZSignInAttempts>;

/** Written once, by whoever creates the first account on a fresh install: the store decides the race. */
export const ZFirstAccountClaim = z.object({
  id: z.literal("first-account"),
  type: z.literal("first-account-claim"),
  userId: ZUserId,
  createdAt: ZTimestamp,
});
