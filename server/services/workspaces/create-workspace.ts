import { DEFAULT_PLAN, newId, SCOPES, type TMember, type TWorkspace } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import { AppError } from "../../errors";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { auditOrUndo } from "../audit/append-audit-event";

export interface CreateWorkspaceOptions {
  store: Store;
  actor: Actor;
  name: string;
}

/** A new workspace whose creator is its owner and holds every scope. */
export async function createWorkspace({ store, actor, name }: CreateWorkspaceOptions): Promise<TWorkspace> {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "Sign in as a person to create a workspace; API tokens cannot.");
  const now = new Date().toISOString();
  const workspace: TWorkspace = {
    id: newId("ws"),
    type: "workspace",
    name,
    plan: DEFAULT_PLAN,
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
    addedBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  };

  const workspaces = workspaceStore(store);
  const members = memberStore(store);
  await workspaces.create(workspace);
  try {
    await members.create(owner);
  } catch (error) {
    await workspaces.delete(workspace.id);
    throw error;
  }
  await auditOrUndo(
    store,
    {
      workspaceId: workspace.id,
      eventType: "workspace.created",
      actor: auditActorOf(actor),
      target: { kind: "workspace", id: workspace.id, label: workspace.name },
      data: { plan: workspace.plan.name },
    },
    async () => {
      await members.delete(workspace.id, owner.id);
      await workspaces.delete(workspace.id);
    },
  );
  return workspace;
}
