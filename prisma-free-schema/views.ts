import { z } from "zod";
import { ZMember } from "./member";
import { ZScope } from "./scopes";
import { ZPlan, ZWorkspace } from "./workspace";

/**
 * Shapes the API returns that are not a stored document as-is. The documents themselves (with
 * their etag, for the next save) are returned where a page edits them.
 */
export const ZEtag = z.string().min(1).max(128);

export const ZMemberView = ZMember.extend({ etag: ZEtag });
export type TMemberView = z.infer<typeof ZMemberView>;

export const ZMyWorkspace = z.object({
  id: ZWorkspace.shape.id,
  name: ZWorkspace.shape.name,
  plan: ZPlan,
  role: ZMember.shape.role,
  scopes: z.array(ZScope),
  /** Operators of this workspace's hosts may connect (an admin turned the channel on). */
  byoChannelConfigured: z.boolean(),
});
export type TMyWorkspace = z.infer<typeof ZMyWorkspace>;

export const ZPageInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(4096).optional(),
});
