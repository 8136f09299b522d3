import { z } from "zod";
import { ZTimestamp } from "./ids";
import { MAX_WARM_POOL_SIZE } from "./vocabulary/hosts";

/**
 * What a Docker host's operator says about its warm pools at check-in: per definition (the key
 * the platform sent with pool.configure), how many warm containers it keeps and how many are
 * ready. The operator knows no profiles, only definition keys; the platform matches keys to its
 * own workspace's profiles when the host page reads them, and ignores any other key.
 */
export const MAX_REPORTED_WARM_POOLS = 50;
/**
 * Ready can pass the size for a moment (containers adopted from an earlier run before the extras
 * are removed), so its bound is looser; still bounded, so a bad operator cannot store nonsense.
 */
const MAX_REPORTED_READY = MAX_WARM_POOL_SIZE * 5;

export const ZDefinitionKey = z.string().regex(/^[0-9a-f]{16,64}$/, { message: "A definition key is 16 to 64 hex digits" });

export const ZWarmPoolCount = z.object({
  definitionKey: ZDefinitionKey,
  ready: z.number().int().min(0).max(MAX_REPORTED_READY),
  size: z.number().int().min(0).max(MAX_WARM_POOL_SIZE),
});
export type TWarmPoolCount = z.infer<typeof ZWarmPoolCount>;

export const ZWarmPoolCounts = z
  .array(ZWarmPoolCount)
  .max(MAX_REPORTED_WARM_POOLS, { message: `At most ${MAX_REPORTED_WARM_POOLS} warm pools` })
  .refine((pools) => new Set(pools.map((pool) => pool.definitionKey)).size === pools.length, { message: "Each definition has one warm pool" });

/** The counts of the last check-in that carried them, kept on the host's presence; `reportedAt` is that check-in's time. */
export const ZReportedWarmPools = z.object({ reportedAt: ZTimestamp, pools: ZWarmPoolCounts });
export type TReportedWarmPools = z.infer<typeof ZReportedWarmPools>;
