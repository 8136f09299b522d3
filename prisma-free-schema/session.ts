import { z } from "zod";
import { ZTimestamp, ZUserId } from "./ids";

export const ZSessionId = z.string().regex(/^ses_[a-z0-9]{20}$/, { message: "Must be a ses_… id" });

/**
 * One signed-in browser. The session cookie names it; every request reads it, so deleting it
 * (sign-out, a password change, removal from a workspace) ends that cookie on its next request,
 * wherever it was copied to. It expires by itself (`ttl`) when the session's lifetime is over.
 */
export const ZSession = z.object({
  id: ZSessionId,
  type: z.literal("session"),
  userId: ZUserId,
  provider: z.enum(["local", "entra"]),
  createdAt: ZTimestamp,
  expiresAt: ZTimestamp,
  /** Seconds after the last write when the store deletes it: the session's lifetime. */
  ttl: z.number().int().positive(),
});
export type TSession = z.infer<typeof ZSession>;
