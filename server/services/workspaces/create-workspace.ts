import { DEFAULT_PROFILE_SETTINGS, newId, PLANS, SCOPES, type TMember, type TWorkspace } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { memberStore } from "../../store/member-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { auditedChange } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { newProfile } from "../profiles/new-profile";

export interface CreateWorkspaceOptions {
  store: Store;
  actor: Actor;
  name: string;
}

/**
 * A new workspace whose creator is its owner and holds every scope, with one managed profile
 * so the first run works with no setup. All three documents exist, or none do.
 */
export async function createWorkspace({ store, actor, name }: CreateWorkspaceOptions): Promise<TWorkspace> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "Sign in as a person to create a workspace; API tokens cannot.");
  const now = new Date().toISOString();
  const workspace: TWorkspace = {
    id: newId("ws"),
    type: "workspace",
    name,
    plan: PLANS[getEnv().newWorkspacePlan],
    byoChannelConfigured: false,
    createdBy: actor.userId,
    createdAt: now,
  };
  const owner: TMember = {
    id: newId("mem"),
    type: "member",
    workspaceId: workspace.id,
    email: actor.email,
    name: actor.name,
    userId: actor.userId,
    role: "owner",
    scopes: [...SCOPES],
    defaultDockerHostId: null,
    addedBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const profile = newProfile(workspace.id, actor.userId, DEFAULT_PROFILE_SETTINGS);

  const workspaces = workspaceStore(store);
  const members = memberStore(store);
  const profiles = profileStore(store);
  // The workspace document last: once it exists, so do its owner and its profile, and a stop
  // before it leaves only documents of a workspace nobody can reach (removed below on failure).
  await auditedChange(
    store,
    {
      workspaceId: workspace.id,
      eventType: "workspace.created",
      actor: auditActorOf(actor),
      target: { kind: "workspace", id: workspace.id, label: workspace.name },
      data: { plan: workspace.plan.name },
    },
    { container: "workspaces", partitionKey: workspace.id, id: workspace.id, landed: "present" },
    async () => {
      try {
        await members.create(owner);
        await profiles.create(profile);
        await withinCap(store, caps.workspacesCreated(actor.userId), () => workspaces.create(workspace));
      } catch (error) {
        await profiles.delete(workspace.id, profile.id).catch(() => undefined);
        await members.delete(workspace.id, owner.id).catch(() => undefined);
        throw error;
      }
    },
  );
  return workspace;
}
