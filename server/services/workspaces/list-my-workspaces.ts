import type { TMember, TScope, TWorkspace } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";

export interface MyWorkspace {
  id: string;
  name: string;
  plan: TWorkspace["plan"];
  role: TMember["role"];
  scopes: TScope[];
  byoChannelConfigured: boolean;
}

/** The workspaces this caller can open, with what they may do in each, by name. */
export async function listMyWorkspaces({ store, actor }: { store: Store; actor: Actor }): Promise<MyWorkspace[]> {
  if (actor.kind === "api_token") {
    const { workspace, member, scopes } = await resolveWorkspaceAccess(store, actor, actor.workspaceId);
    return [{ id: workspace.id, name: workspace.name, plan: workspace.plan, role: member.role, scopes, byoChannelConfigured: workspace.byoChannelConfigured }];
  }
  const memberships = await memberStore(store).listForUser(actor.userId);
  const workspaces = await workspaceStore(store).getMany(memberships.map((member) => member.workspaceId));
  const byId = new Map(workspaces.map((workspace) => [workspace.id, workspace]));
  return memberships
    .flatMap((member) => {
      const workspace = byId.get(member.workspaceId);
      return workspace
        ? [{ id: workspace.id, name: workspace.name, plan: workspace.plan, role: member.role, scopes: member.scopes, byoChannelConfigured: workspace.byoChannelConfigured }]
        : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
