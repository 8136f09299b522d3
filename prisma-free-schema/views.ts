import { z } from "zod";
import { ZMember } from "./member";
import { ZScope } from "./scopes";
import { ZPlan, ZWorkspace } from "./workspace";

/**
 * Shapes the API returns that are not a stored document as-is. The documents themselves (with
 * their etag, for the next save) are returned where a page edits them.
 */
/**
 * An etag exactly as the API handed it out (the embedded store's are bare GUIDs, Cosmos DB's
 * quoted ones). It travels on as an If-Match header, so anything else is refused here: control
 * characters would break the request (a 500), and `*` or blanks would match any version and
 * silently overwrite someone else's edit.
 */
export const ZEtag = z
  .string()
  .max(128)
  .regex(/^("[0-9A-Za-z-]{1,100}"|[0-9A-Za-z-]{1,100})$/, { message: "Must be the etag the API returned; reload and try again" });

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
  // Handed back to the store as a header (x-ms-continuation): printable ASCII only, as the store's own tokens are.
  cursor: z
    .string()
    .regex(/^[\x20-\x7e]{1,4096}$/, { message: "Must be a cursor the API returned; start from the first page" })
    .optional(),
});
