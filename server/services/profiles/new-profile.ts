import { newId, type TProfile, type TProfileSettings } from "@/prisma-free-schema";

/** A profile document from its settings; the one place its derived fields are filled in. */
export function newProfile(workspaceId: string, createdBy: string, settings: TProfileSettings): TProfile {
  const now = new Date().toISOString();
  return {
    ...settings,
    id: newId("prof"),
    type: "profile",
    workspaceId,
    nameKey: settings.name.toLowerCase(),
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
}
