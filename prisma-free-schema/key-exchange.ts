import { z } from "zod";
import { ZHostId } from "./host";
import { ZTimestamp } from "./ids";

/** What an operator posts to exchange its install key for a channel connection. */
export const ZKeyExchangeRequest = z.object({
  hostId: ZHostId,
  key: z.string().min(1).max(200),
  operatorVersion: z.string().max(64).optional(),
});
export type TKeyExchangeRequest = z.infer<typeof ZKeyExchangeRequest>;

export const ZKeyExchangeResponse = z.object({
  /** The hub's client access URL for user `host:<id>`, with its token. */
  url: z.url(),
  expiresAt: ZTimestamp,
  /** The operator should exchange again this long before expiresAt. */
  renewBeforeSeconds: z.number().int().positive(),
});
export type TKeyExchangeResponse = z.infer<typeof ZKeyExchangeResponse>;

/**
 * A counter of refused exchanges in one bucket (presented keys, or named host ids, hashed into
 * 4,096 buckets each: server/services/keys/count-refused-exchange.ts), in a one-minute window.
 */
export const ZKeyAttempts = z.object({
  id: z.string().regex(/^(key|host):[0-9a-f]{3}$/),
  windowStart: ZTimestamp,
  count: z.number().int().nonnegative(),
});
