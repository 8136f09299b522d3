import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { apiTokenStore } from "../../store/api-token-store";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { assertCanRemove } from "./member-scopes-rule";
import { endAllSessions } from "../sessions/sessions";
import { log } from "../../log";

export interface RemoveMemberOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  memberId: string;
}

/**
 * Removes a member, revokes their API tokens and ends every session they have: a cookie they (or
 * anyone who copied it) hold is refused on its next request. Sessions end first: if the store
 * fails after that, the person is only signed out (they sign in again, still a member), never
 * removed with their sessions going on. A session started in between is harmless: access is
 * read from the membership on every request, and that is gone.
 */
export async function removeMember({ store, actor, access, memberId }: RemoveMemberOptions): Promise<void> {
  const members = memberStore(store);
  const member = await members.get(access.workspace.id, memberId);
  if (!member) throw notFound("Member");
  if (member.role === "owner") throw new AppError("BAD_REQUEST", "The workspace owner cannot be removed.");
  assertCanRemove(access.scopes, member.scopes);

  if (member.userId) await endAllSessions(store, member.userId, "member_removed");
  await auditedChange(
    store,
    {
      workspaceId: member.workspaceId,
      eventType: "member.removed",
      actor: auditActorOf(actor),
      target: { kind: "member", id: member.id, label: member.email },
      data: { scopes: member.scopes },
    },
    { container: "members", partitionKey: member.workspaceId, id: member.id, landed: "absent" },
    () => members.delete(member.workspaceId, member.id),
  );

  // Tokens authenticate only while their member exists; marking them revoked keeps the list
  // honest. The removal is done by now, so a store error here is logged, not answered as a failure.
  const tokens = apiTokenStore(store);
  const now = new Date().toISOString();
  try {
    for (const token of await tokens.listForWorkspace(member.workspaceId, member.id)) {
      if (token.revokedAt) continue;
      const { etag, ...active } = token;
      await tokens.replace({ ...active, revokedAt: now, revokedBy: actor.userId }, etag).catch(() => undefined);
    }
  } catch (error) {
    log.warn("members.token_marking_failed", { memberId: member.id, error: error instanceof Error ? error.message : String(error) });
  }
}
