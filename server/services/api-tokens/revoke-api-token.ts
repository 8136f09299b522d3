import { hasScope, type TApiTokenView } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { apiTokenStore } from "../../store/api-token-store";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { toApiTokenView } from "./api-token-view";

export interface RevokeApiTokenOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  tokenId: string;
}

/** Revokes at once: the next request with it is refused. Revoking twice is a no-op. */
export async function revokeApiToken({ store, actor, access, tokenId }: RevokeApiTokenOptions): Promise<TApiTokenView> {
  const tokens = apiTokenStore(store);
  const token = await tokens.get(tokenId);
  const mayRevoke = token && token.workspaceId === access.workspace.id && (token.memberId === access.member.id || hasScope(access.scopes, "members.manage"));
  if (!mayRevoke) throw notFound("API token");
  const { etag, ...current } = token;
  const ownerEmail = (await memberStore(store).get(current.workspaceId, current.memberId))?.email ?? "former member";
  if (current.revokedAt) return toApiTokenView(current, ownerEmail);

  const revokedAt = new Date().toISOString();
  const revoked = await auditedChange(
    store,
    {
      workspaceId: current.workspaceId,
      eventType: "api_token.revoked",
      actor: auditActorOf(actor),
      target: { kind: "api_token", id: current.id, label: current.name },
      data: { owner: ownerEmail, scopes: current.scopes },
    },
    { container: "apiTokens", partitionKey: current.id, id: current.id, landed: { field: "revokedAt", equals: revokedAt } },
    () => tokens.replace({ ...current, revokedAt, revokedBy: actor.userId }, etag),
  );
  return toApiTokenView(revoked, ownerEmail);
}
