import { z } from "zod";
import { ZProfileId, ZTimestamp } from "./ids";

/**
 * The profiles that use a host, as its page lists them: those whose host choice names it, and on
 * a Local Docker host those set to "My default Docker host" (they land here for whoever made it
 * their default). With each, its warm pool on this host, if it keeps one: how many warm
 * containers it wants and how many its operator had ready at its last check-in (null while
 * there is no such count).
 */
export const ZHostUsageProfile = z.object({
  id: ZProfileId,
  name: z.string(),
  /** `host`: pinned to this host; `default-docker`: lands here for people whose default Docker host this is. */
  via: z.enum(["host", "default-docker"]),
  warmPool: z.object({ wanted: z.number().int().nonnegative(), ready: z.number().int().nonnegative().nullable() }).nullable(),
});
export type THostUsageProfile = z.infer<typeof ZHostUsageProfile>;

export const WARM_COUNTS_STATES = ["live", "no-pools", "operator-offline", "unavailable"] as const;

export const ZHostUsage = z.object({
  profiles: z.array(ZHostUsageProfile),
  /**
   * Where the ready counts came from: `live` from the operator's last check-in (every 15 s, and
   * soon after a pool changes); `no-pools` when no profile keeps one here; `operator-offline`
   * when it is not connected; `unavailable` when its check-ins do not carry them (a version
   * older than the report).
   */
  warmCounts: z.enum(WARM_COUNTS_STATES),
  /** When the operator reported the counts (`live` only): how stale they may be. */
  countsAt: ZTimestamp.nullable(),
});
export type THostUsage = z.infer<typeof ZHostUsage>;
