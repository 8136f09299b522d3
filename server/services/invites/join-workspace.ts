import { hasScope, newId, type TInvite, type TMember, type TUser } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { assertRoom, caps, withinCap } from "../limits/caps";

const ISSUER_GONE = "Whoever issued this invite link can no longer grant it. Ask a workspace admin for a new one.";

/**
 * An invite grants only what its issuer may still grant: a manager removed (or stripped of
 * members.manage or of a scope in the invite) since issuing it cannot get back in through a link.
 */
async function assertIssuerStillGrants(store: Store, invite: TInvite): Promise<void> {
  const issuer = invite.issuerUserId ? await memberStore(store).findByUserId(invite.workspaceId!, invite.issuerUserId) : undefined;
  if (!issuer || !hasScope(issuer.scopes, "members.manage") || !invite.scopes.every((scope) => hasScope(issuer.scopes, scope))) {
    throw new AppError("PRECONDITION_FAILED", ISSUER_GONE, { reason: "invite_issuer_gone" });
  }
}

/**
 * What `joinWorkspace` would refuse, checked before anything is made for the joiner (a new
 * account): the issuer's standing, the email already a member, the members cap. `joinWorkspace`
 * checks again; this only makes the refusal come before there is anything to undo.
 */
export async function assertCanJoin(store: Store, invite: TInvite, email: string): Promise<void> {
  const workspaceId = invite.workspaceId!;
  await assertIssuerStillGrants(store, invite);
  if ((await memberStore(store).listForWorkspace(workspaceId)).some((member) => member.email === email.toLowerCase())) {
    throw new AppError("CONFLICT", "Someone with your email address is already a member of this workspace; sign in with that account. The link was left unused.", { reason: "already_member", field: "email" });
  }
  await assertRoom(store, caps.members(workspaceId));
}

/**
 * Makes `user` a member through a claimed workspace invite, with the scopes its issuer chose.
 * The membership names the person by user id, so it follows this identity and no other.
 */
export async function joinWorkspace(store: Store, invite: TInvite, user: Pick<TUser, "id" | "email" | "name">): Promise<TMember> {
  const workspaceId = invite.workspaceId!;
  const members = memberStore(store);
  await assertIssuerStillGrants(store, invite);
  if (await members.findByUserId(workspaceId, user.id)) {
    throw new AppError("CONFLICT", "You are already a member of this workspace; the link was left unused.", { reason: "already_member" });
  }
  const now = new Date().toISOString();
  const member: TMember = {
    id: newId("mem"),
    type: "member",
    workspaceId,
    email: user.email,
    name: user.name,
    userId: user.id as TMember["userId"],
    role: "member",
    scopes: invite.scopes,
    defaultDockerHostId: null,
    addedBy: (invite.issuerUserId ?? user.id) as TMember["addedBy"],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await auditedChange(
      store,
      {
        workspaceId,
        eventType: "member.added",
        actor: { kind: "user", id: user.id, label: user.email },
        target: { kind: "member", id: member.id, label: user.email },
        data: { scopes: invite.scopes, invite: invite.inviteId, invitedBy: invite.createdBy.label },
      },
      { container: "members", partitionKey: workspaceId, id: member.id, landed: "present" },
      () => withinCap(store, caps.members(workspaceId), () => members.create(member)),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") {
      throw new AppError("CONFLICT", "Someone with your email address is already a member of this workspace (signed in another way); the link was left unused.", { reason: "already_member" });
    }
    throw error;
  }
  return member;
}
