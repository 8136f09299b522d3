import { hasScope, normalizeScopes, type TMember, type TScope, type TWorkspace } from "@/prisma-free-schema";
import { AppError, notFound } from "../errors";
import type { WithEtag } from "../store/documents";
import { memberStore } from "../store/member-store";
import type { Store } from "../store/store";
import { workspaceStore } from "../store/workspace-store";
import type { Actor } from "./actor";

export interface WorkspaceAccess {
  workspace: WithEtag<TWorkspace>;
  member: WithEtag<TMember>;
  /** What this caller may do here: the member's scopes, narrowed to the token's when a token calls. */
  scopes: TScope[];
}

/**
 * The one gate in front of every workspace's data. Someone who is not a member (or a token of
 * another workspace) gets NOT_FOUND, the same answer as for a workspace that does not exist, so
 * ids reveal nothing. A member lacking the scope gets FORBIDDEN naming it.
 */
export async function resolveWorkspaceAccess(store: Store, actor: Actor, workspaceId: string, needed?: TScope): Promise<WorkspaceAccess> {
  const unknown = notFound("Workspace");
  if (actor.kind === "api_token" && actor.workspaceId !== workspaceId) throw unknown;

  const members = memberStore(store);
  // By user id, never email: a membership belongs to one identity (issue 10).
  const member = actor.kind === "api_token" ? await members.get(workspaceId, actor.memberId) : await members.findByUserId(workspaceId, actor.userId);
  if (!member || member.userId !== actor.userId) throw unknown;
  const workspace = await workspaceStore(store).get(workspaceId);
  if (!workspace) throw unknown;

  const held = normalizeScopes(member.scopes);
  const scopes = actor.kind === "api_token" ? held.filter((scope) => hasScope(actor.scopes, scope)) : held;
  if (needed && !hasScope(scopes, needed)) {
    const how = actor.kind === "api_token" ? "This API token does not carry" : "You do not have";
    throw new AppError("FORBIDDEN", `${how} the ${needed} scope in this workspace.`);
  }
  return { workspace, member, scopes };
}
