import { PLANS, type TPlanName, type TWorkspace } from "@/prisma-free-schema";
import { AppError, notFound } from "../../errors";
import type { Store } from "../../store/store";
import { workspaceStore } from "../../store/workspace-store";
import { auditedChange } from "../audit/append-audit-event";

/**
 * The platform operator's (or billing system's) word on a workspace's plan. Taking BYO hosts
 * away leaves hosts in place, but the resolver stops launching on them.
 */
export async function setWorkspacePlan({ store, workspaceId, plan }: { store: Store; workspaceId: string; plan: TPlanName }): Promise<TWorkspace> {
  const workspaces = workspaceStore(store);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = await workspaces.get(workspaceId);
    if (!current) throw notFound("Workspace");
    const { etag, ...workspace } = current;
    if (workspace.plan.name === plan) return workspace;
    try {
      const { etag: _updatedEtag, ...updated } = await auditedChange(
        store,
        {
          workspaceId,
          eventType: "workspace.plan_changed",
          actor: { kind: "system", id: "platform-admin", label: "platform operator" },
          target: { kind: "workspace", id: workspaceId, label: workspace.name },
          data: { from: workspace.plan.name, to: plan },
        },
        { container: "workspaces", partitionKey: workspaceId, id: workspaceId, landed: { field: "plan.name", equals: plan } },
        () => workspaces.replace({ ...workspace, plan: PLANS[plan] }, etag),
      );
      return updated;
    } catch (error) {
      // A member saved the workspace meanwhile: read it again and reapply the plan.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    }
  }
  throw new AppError("CONFLICT", "The workspace kept changing while its plan was being set; try again.");
}
