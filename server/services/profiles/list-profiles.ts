import type { TProfileView } from "@/prisma-free-schema";
import type { Page } from "../../store/documents";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";

export function listProfiles(options: { store: Store; workspaceId: string; limit: number; cursor?: string }): Promise<Page<TProfileView>> {
  return profileStore(options.store).list(options.workspaceId, options);
}
