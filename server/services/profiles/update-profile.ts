import type { TProfile, TProfileSettings } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import type { WithEtag } from "../../store/documents";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { profileAuditData } from "./profile-audit-data";
import { validateProfileSettings } from "./validate-profile-settings";

export interface UpdateProfileOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  profileId: string;
  /** The version the editor saw; a save over a newer edit is refused with CONFLICT. */
  etag: string;
  settings: TProfileSettings;
}

export async function updateProfile({ store, actor, access, profileId, etag, settings }: UpdateProfileOptions): Promise<WithEtag<TProfile>> {
  const profiles = profileStore(store);
  const found = await profiles.get(access.workspace.id, profileId);
  if (!found) throw notFound("Profile");
  await validateProfileSettings(store, access.workspace, settings);
  const { etag: _current, ...before } = found;
  const next: TProfile = { ...before, ...settings, nameKey: settings.name.toLowerCase(), updatedAt: new Date().toISOString() };
  return auditedChange(
    store,
    {
      workspaceId: before.workspaceId,
      eventType: "profile.updated",
      actor: auditActorOf(actor),
      target: { kind: "profile", id: before.id, label: next.name },
      data: profileAuditData(next),
    },
    { container: "profiles", partitionKey: before.workspaceId, id: before.id, landed: { field: "updatedAt", equals: next.updatedAt } },
    () => profiles.replace(next, etag),
  );
}
