import type { TRunDetail } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { runDetail } from "./run-turns";

export async function getRun({ store, access, runId }: { store: Store; access: WorkspaceAccess; runId: string }): Promise<TRunDetail> {
  const found = await runStore(store).get(access.workspace.id, runId);
  if (!found) throw notFound("Run");
  return runDetail(store, found);
}
