import type { TMember } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { endAllSessions } from "../sessions/sessions";
import { assertCanGrant } from "./member-scopes-rule";

export interface UpdateMemberScopesOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  memberId: string;
  scopes: TMember["scopes"];
  /** The version the editor saw; a save over someone else's newer edit is refused. */
  etag: string;
}

export async function updateMemberScopes({ store, actor, access, memberId, scopes, etag }: UpdateMemberScopesOptions): Promise<TMember & { etag: string }> {
  const members = memberStore(store);
  const member = await members.get(access.workspace.id, memberId);
  if (!member) throw notFound("Member");
  if (member.role === "owner") throw new AppError("BAD_REQUEST", "The workspace owner always holds every scope.");
  const granted = assertCanGrant(access.scopes, scopes, member.scopes);

  const { etag: _current, ...previous } = member;
  // Access taken away ends the person's sessions, so nothing they opened before goes on as if it
  // had not. First: if the change then fails, they were only signed out, never left with a live
  // session and fewer scopes half-applied (scopes are read from the member on every request).
  const revoked = previous.scopes.some((scope) => !granted.includes(scope));
  if (revoked && previous.userId) await endAllSessions(store, previous.userId, "scopes_revoked");
  const updatedAt = new Date().toISOString();
  return auditedChange(
    store,
    {
      workspaceId: member.workspaceId,
      eventType: "member.updated",
      actor: auditActorOf(actor),
      target: { kind: "member", id: member.id, label: member.email },
      data: { scopesBefore: previous.scopes, scopesAfter: granted },
    },
    { container: "members", partitionKey: member.workspaceId, id: member.id, landed: { field: "updatedAt", equals: updatedAt } },
    () => members.replace({ ...previous, scopes: granted, updatedAt }, etag),
  );
}
