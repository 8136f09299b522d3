import type { TProfile, TProfileSettings } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { WithEtag } from "../../store/documents";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditOrUndo } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { newProfile } from "./new-profile";
import { profileAuditData } from "./profile-audit-data";
import { validateProfileSettings } from "./validate-profile-settings";

export interface CreateProfileOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  settings: TProfileSettings;
}

export async function createProfile({ store, actor, access, settings }: CreateProfileOptions): Promise<WithEtag<TProfile>> {
  await validateProfileSettings(store, access.workspace, settings);
  const profiles = profileStore(store);
  const created = await withinCap(store, caps.profiles(access.workspace.id), () => profiles.create(newProfile(access.workspace.id, actor.userId, settings)));
  await auditOrUndo(
    store,
    {
      workspaceId: created.workspaceId,
      eventType: "profile.created",
      actor: auditActorOf(actor),
      target: { kind: "profile", id: created.id, label: created.name },
      data: profileAuditData(created),
    },
    () => profiles.delete(created.workspaceId, created.id),
  );
  return created;
}
