import type { THostSummary } from "@/prisma-free-schema";
import type { Page } from "../../store/documents";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";

export async function listHosts(options: { store: Store; workspaceId: string; limit: number; cursor?: string }): Promise<Page<THostSummary>> {
  const page = await hostStore(options.store).list(options.workspaceId, options);
  return {
    items: page.items.map(({ id, kind, name, runtimeFamilies, status, lastSeenAt, operatorVersion, workloadIdentity }) => ({
      id,
      kind,
      name,
      runtimeFamilies,
      status,
      lastSeenAt,
      operatorVersion,
      workloadIdentity,
    })),
    cursor: page.cursor,
  };
}
