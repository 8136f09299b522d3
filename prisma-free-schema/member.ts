import { z } from "zod";
import { ZMemberId, ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZScope } from "./scopes";
import { ZEmail, ZPersonName } from "./user";

/**
 * A person's membership of one workspace, held by one identity (`userId`): people join through
 * an invite link, and a membership is never found by email. `userId` is null only on members
 * added by email before invite links existed; those open nothing and are listed as "never
 * joined", for an admin to remove and invite again. The owner created the workspace and cannot be removed or
 * lose scopes, so a workspace always has someone who can manage it.
 */
export const ZMember = z.object({
  id: ZMemberId,
  type: z.literal("member"),
  workspaceId: ZWorkspaceId,
  email: ZEmail,
  name: ZPersonName.nullable(),
  userId: ZUserId.nullable(),
  role: z.enum(["owner", "member"]),
  scopes: z.array(ZScope),
  /** The Local Docker host (registered by this person) that "My default Docker host" means for them. */
  defaultDockerHostId: z.string().nullable().default(null),
  addedBy: ZUserId,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type TMember = z.infer<typeof ZMember>;
