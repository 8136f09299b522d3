import type { Actor } from "../../auth/actor";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

/**
 * The workspace of a run known by id alone, for doors whose URL names no workspace (the SSE
 * stream), once the caller is found to be a member of it. Any member may read a run. Someone
 * else gets the same NOT_FOUND as for a run that does not exist, so ids reveal nothing.
 */
export async function readableRunWorkspace({ store, actor, runId }: { store: Store; actor: Actor; runId: string }): Promise<string> {
  const workspaceId = await runStore(store).workspaceOf(runId);
  if (!workspaceId) throw notFound("Run");
  try {
    await resolveWorkspaceAccess(store, actor, workspaceId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw notFound("Run");
    throw error;
  }
  return workspaceId;
}
