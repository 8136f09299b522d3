import { newId, type TInvite, type TScope } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { getEnv } from "../../env";
import { inviteStore } from "../../store/invite-store";
import { caps, withinCap } from "../limits/caps";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { assertCanGrant } from "../members/member-scopes-rule";
import { inviteLink, newInviteToken } from "./invite-token";

export interface IssuedInvite {
  inviteId: string;
  /** Shown once; only its digest is kept. */
  link: string;
  expiresAt: string;
}

function inviteDocument(hash: string, fields: Pick<TInvite, "workspaceId" | "email" | "scopes" | "createdBy" | "issuerUserId">): TInvite {
  const hours = getEnv().auth.inviteTtlHours;
  const now = Date.now();
  return {
    id: hash,
    type: "invite",
    inviteId: newId("inv"),
    ...fields,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + hours * 3600_000).toISOString(),
    usedAt: null,
    usedBy: null,
    revokedAt: null,
    // Kept 30 days past expiry, so an old link says "expired" instead of "not valid".
    ttl: hours * 3600 + 30 * 86400,
  };
}

/**
 * Adding a member is issuing a one-time link that makes whoever accepts it a member with
 * `scopes` (nobody grants scopes they do not hold). The link is returned once; the audit row
 * names the invite and its scopes, never the token.
 */
export async function issueWorkspaceInvite({ store, actor, access, email, scopes, baseUrl }: { store: Store; actor: Actor; access: WorkspaceAccess; email: string; scopes: TScope[]; baseUrl: string | undefined }): Promise<IssuedInvite> {
  const granted = assertCanGrant(access.scopes, scopes);
  const { token, hash } = newInviteToken();
  const invite = inviteDocument(hash, { workspaceId: access.workspace.id, email, scopes: granted, createdBy: auditActorOf(actor), issuerUserId: actor.userId as TInvite["issuerUserId"] });
  const invites = inviteStore(store);
  await auditedChange(
    store,
    {
      workspaceId: access.workspace.id,
      eventType: "member.invited",
      actor: auditActorOf(actor),
      target: { kind: "member", id: invite.inviteId, label: email },
      data: { scopes: granted, expiresAt: invite.expiresAt },
    },
    { container: "invites", partitionKey: invite.id, id: invite.id, landed: "present" },
    // Refused here already when the workspace is full, so the admin hears it now, not the invitee later.
    () => withinCap(store, caps.members(access.workspace.id), () => invites.create(invite)),
  );
  return { inviteId: invite.inviteId, link: inviteLink(baseUrl, token), expiresAt: invite.expiresAt };
}

/**
 * The platform operator's link (admin API) for someone to create a local account on this
 * install, e.g. a new team that will create its own workspace. Bound to `email` when given: then
 * only that account can be created with it, or, for a local account made before passwords, its
 * password set (how such accounts get back in).
 */
export async function issuePlatformInvite({ store, email, baseUrl }: { store: Store; email: string | null; baseUrl: string | undefined }): Promise<IssuedInvite> {
  const { token, hash } = newInviteToken();
  const invite = inviteDocument(hash, {
    workspaceId: null,
    email,
    scopes: [],
    createdBy: { kind: "system", id: "platform-admin", label: "platform operator" },
    issuerUserId: null,
  });
  await inviteStore(store).create(invite);
  return { inviteId: invite.inviteId, link: inviteLink(baseUrl, token), expiresAt: invite.expiresAt };
}
