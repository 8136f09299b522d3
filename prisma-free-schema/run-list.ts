import { z } from "zod";
import { ZUserId } from "./ids";
import { ZHostId } from "./host";
import { ZProfileId } from "./profile";
import { ZRunStatus } from "./run";
import { ZPageInput } from "./views";

/** What the runs list may be narrowed to; every filter is optional and they all apply together. */
export const ZRunFilters = z.object({
  status: ZRunStatus.optional(),
  profileId: ZProfileId.optional(),
  /** The person who started the run. */
  startedBy: ZUserId.optional(),
  /** A host's runs, or "managed" for runs on managed compute (no host). */
  hostId: z.union([ZHostId, z.literal("managed")]).optional(),
  /** Found in the first turn's input, whatever the case; blank means no search. */
  q: z
    .string()
    .max(200, { message: "Search for at most 200 characters" })
    .transform((q) => q.trim() || undefined)
    .optional(),
});
export type TRunFilters = z.output<typeof ZRunFilters>;

export const ZRunListInput = ZPageInput.extend(ZRunFilters.shape);

/** The people and hosts the workspace's runs name, for the runs list's filter menus. */
export const ZRunFilterOptions = z.object({
  people: z.array(z.object({ userId: ZUserId, email: z.string() })),
  hosts: z.array(z.object({ hostId: ZHostId, hostName: z.string() })),
  /** Whether any run was on managed compute. */
  managed: z.boolean(),
});
export type TRunFilterOptions = z.infer<typeof ZRunFilterOptions>;
