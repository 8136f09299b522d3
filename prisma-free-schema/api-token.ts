import { z } from "zod";
import { ZApiTokenId, ZMemberId, ZTimestamp, ZUserId, ZWorkspaceId } from "./ids";
import { ZScope, ZScopeList } from "./scopes";
import { plainName } from "./plain-name";

/** The bearer value is `dpt_<token id>_<secret>`; only sha-256(secret) is ever stored. */
export const API_TOKEN_PREFIX = "dpt_";

export const ZApiTokenName = z
  .string()
  .trim()
  .min(1, { message: "Give the token a name" })
  .max(60, { message: "Token names are at most 60 characters" })
  .refine(...plainName);

import { TOKEN_EXPIRY_DAYS } from "./vocabulary/tokens";

export { TOKEN_EXPIRY_DAYS };

export const ZApiToken = z.object({
  id: ZApiTokenId,
  type: z.literal("apiToken"),
  workspaceId: ZWorkspaceId,
  memberId: ZMemberId,
  userId: ZUserId,
  name: ZApiTokenName,
  scopes: z.array(ZScope),
  /** Hex sha-256 of the secret part; never the secret itself. */
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** First characters of the bearer value, so a person can tell tokens apart. */
  preview: z.string().max(48),
  createdAt: ZTimestamp,
  expiresAt: ZTimestamp,
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
  revokedBy: ZUserId.nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZCreateApiTokenInput = z.object({
  name: ZApiTokenName,
  scopes: ZScopeList.refine((scopes) => scopes.length > 0, { message: "Pick at least one scope" }),
  expiresInDays: z.union(TOKEN_EXPIRY_DAYS.map((days) => z.literal(days)), {
    message: `Expiry must be one of ${TOKEN_EXPIRY_DAYS.join(", ")} days`,
  }),
});
export type TCreateApiTokenInput = z.infer<typeof ZCreateApiTokenInput>;

/** What the Settings page and the API show of a token: never its hash. */
export const ZApiTokenView = ZApiToken.pick({
  id: true,
  name: true,
  scopes: true,
  preview: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
}).extend({
  ownerEmail: z.string(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type TApiTokenView = z.infer<typeof ZApiTokenView>;
