import type { TMember } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { WithEtag } from "../../store/documents";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";

export function listMembers({ store, access }: { store: Store; access: WorkspaceAccess }): Promise<WithEtag<TMember>[]> {
  return memberStore(store).listForWorkspace(access.workspace.id);
}
