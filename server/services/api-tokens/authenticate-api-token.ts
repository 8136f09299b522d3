import type { Actor } from "../../auth/actor";
import { log } from "../../log";
import { apiTokenStore } from "../../store/api-token-store";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { parseBearer, secretMatches } from "./api-token-secret";
import { apiTokenStatus } from "./api-token-view";

/** Last use is stamped at most this often, so a busy tool does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The actor behind `Authorization: Bearer dpt_…`, or undefined. Every failure looks the same
 * to the caller (unknown, wrong secret, revoked, expired, member gone): there is nothing to
 * learn by probing.
 */
export async function authenticateApiToken(store: Store, bearer: string): Promise<Actor | undefined> {
  const parsed = parseBearer(bearer);
  if (!parsed) return undefined;
  const tokens = apiTokenStore(store);
  const token = await tokens.get(parsed.tokenId);
  if (!token || !secretMatches(parsed.secret, token.secretHash) || apiTokenStatus(token) !== "active") return undefined;
  const member = await memberStore(store).get(token.workspaceId, token.memberId);
  if (!member || member.userId !== token.userId) return undefined;

  const now = Date.now();
  if (!token.lastUsedAt || now - Date.parse(token.lastUsedAt) > LAST_USED_RESOLUTION_MS) {
    tokens.touchLastUsed(token.id, new Date(now).toISOString()).catch((error: unknown) => log.warn("api_token.touch_failed", { tokenId: token.id, error }));
  }
  return {
    kind: "api_token",
    tokenId: token.id,
    tokenName: token.name,
    userId: token.userId,
    email: member.email,
    workspaceId: token.workspaceId,
    memberId: token.memberId,
    scopes: token.scopes,
  };
}
