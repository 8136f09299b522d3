import type { TRun } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

export async function getRun({ store, access, runId }: { store: Store; access: WorkspaceAccess; runId: string }): Promise<TRun> {
  const found = await runStore(store).get(access.workspace.id, runId);
  if (!found) throw notFound("Run");
  const { etag: _etag, ...run } = found;
  return run;
}
