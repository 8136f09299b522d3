import type { TRun } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

/**
 * A run by id alone, for doors whose URL names no workspace (the SSE stream): found across
 * workspaces, then the caller must be a member of its workspace. Any member may read a run.
 * Someone else gets the same NOT_FOUND as for a run that does not exist, so ids reveal nothing.
 */
export async function findReadableRun({ store, actor, runId }: { store: Store; actor: Actor; runId: string }): Promise<TRun> {
  const found = await runStore(store).findById(runId);
  if (!found) throw notFound("Run");
  try {
    await resolveWorkspaceAccess(store, actor, found.workspaceId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw notFound("Run");
    throw error;
  }
  const { etag: _etag, ...run } = found;
  return run;
}
