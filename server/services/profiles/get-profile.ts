import type { TProfileView } from "@/prisma-free-schema";
import { notFound } from "../../errors";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";

export async function getProfile({ store, workspaceId, profileId }: { store: Store; workspaceId: string; profileId: string }): Promise<TProfileView> {
  const profile = await profileStore(store).get(workspaceId, profileId);
  if (!profile) throw notFound("Profile");
  return profile;
}
