import { z } from "zod";
import { ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZScope } from "./scopes";
import { ZEmail } from "./user";

export const ZInviteId = z.string().regex(/^inv_[a-z0-9]{20}$/, { message: "Must be an inv_… id" });

/** What an invite link carries after `#`: `dpi_` and 43 base64url characters (256 bits). */
export const ZInviteToken = z
  .string()
  .trim()
  .regex(/^dpi_[A-Za-z0-9_-]{43}$/, { message: "This is not an invite link. Copy the whole link you were sent." });

/**
 * A one-time invite link. The document's id is the SHA-256 of the link's token, so the store
 * holds nothing that opens it; `inviteId` names it in lists and the audit trail. A workspace
 * invite makes whoever accepts it a member with `scopes`; a platform invite (no workspace, issued
 * by the platform operator) lets someone create a local account, or set the password of the
 * passwordless local account `email` left from before passwords.
 */
export const ZInvite = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  type: z.literal("invite"),
  inviteId: ZInviteId,
  workspaceId: ZWorkspaceId.nullable(),
  /** Who it was meant for, as the issuer typed it; a platform invite is bound to it. */
  email: ZEmail.nullable(),
  scopes: z.array(ZScope),
  createdBy: z.object({ kind: z.enum(["user", "api_token", "system"]), id: z.string().max(64), label: z.string().max(254) }),
  /** The person who issued it (recorded as the member's `addedBy`); null for the platform operator. */
  issuerUserId: ZUserId.nullable(),
  createdAt: ZTimestamp,
  expiresAt: ZTimestamp,
  usedAt: ZTimestamp.nullable(),
  usedBy: ZUserId.nullable(),
  revokedAt: ZTimestamp.nullable().default(null),
  /** Kept a while past expiry so an old link says "expired" rather than "not valid". */
  ttl: z.number().int().positive(),
});
export type TInvite = z.infer<typeof ZInvite>;

/** What the invite page shows before anyone accepts. */
export const ZInviteSummary = z.object({
  workspaceName: z.string().nullable(),
  email: ZEmail.nullable(),
  scopes: z.array(ZScope),
  expiresAt: ZTimestamp,
});
export type TInviteSummary = z.infer<typeof ZInviteSummary>;

/** A pending invite as the Members page lists it (never its token). */
export const ZInviteView = z.object({
  inviteId: ZInviteId,
  email: ZEmail.nullable(),
  scopes: z.array(ZScope),
  createdAt: ZTimestamp,
  expiresAt: ZTimestamp,
  createdBy: z.string(),
});
export type TInviteView = z.infer<typeof ZInviteView>;
