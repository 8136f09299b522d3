import type { THostView } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { toHostView } from "./host-view";

export async function getHost({ store, access, hostId }: { store: Store; access: WorkspaceAccess; hostId: string }): Promise<THostView> {
  const host = await hostStore(store).get(access.workspace.id, hostId);
  if (!host) throw notFound("Host");
  return toHostView(host, access);
}
