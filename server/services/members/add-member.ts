import { newId, type TMember } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { userIdForEmail, userStore } from "../../store/user-store";
import { auditOrUndo } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { assertCanGrant } from "./member-scopes-rule";

export interface AddMemberOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  email: string;
  scopes: TMember["scopes"];
}

/** Adds a person by email; they see the workspace the next time they sign in with that email. */
export async function addMember({ store, actor, access, email, scopes }: AddMemberOptions): Promise<TMember> {
  const granted = assertCanGrant(access.scopes, scopes);
  const known = await userStore(store).get(userIdForEmail(email));
  const now = new Date().toISOString();
  const member: TMember = {
    id: newId("mem"),
    type: "member",
    workspaceId: access.workspace.id,
    email,
    name: known?.name ?? null,
    userId: known?.id ?? null,
    role: "member",
    scopes: granted,
    defaultDockerHostId: null,
    addedBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const members = memberStore(store);
  const { etag: _etag, ...created } = await withinCap(store, caps.members(member.workspaceId), () => members.create(member));
  await auditOrUndo(
    store,
    {
      workspaceId: member.workspaceId,
      eventType: "member.added",
      actor: auditActorOf(actor),
      target: { kind: "member", id: member.id, label: email },
      data: { scopes: granted },
    },
    () => members.delete(member.workspaceId, member.id),
  );
  return created;
}
