import { type TNewProfileSettings, type TProfile, withProfileDefaults } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { WithEtag } from "../../store/documents";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { caps, withinCap } from "../limits/caps";
import { newProfile } from "./new-profile";
import { profileAuditData } from "./profile-audit-data";
import { validateProfileSettings } from "./validate-profile-settings";

export interface CreateProfileOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  /** Only the name is needed; what is left out is the workspace defaults (withProfileDefaults). */
  settings: TNewProfileSettings;
}

export async function createProfile({ store, actor, access, settings: given }: CreateProfileOptions): Promise<WithEtag<TProfile>> {
  const settings = withProfileDefaults(given);
  await validateProfileSettings(store, access.workspace, settings);
  const profiles = profileStore(store);
  const profile = newProfile(access.workspace.id, actor.userId, settings);
  return auditedChange(
    store,
    {
      workspaceId: profile.workspaceId,
      eventType: "profile.created",
      actor: auditActorOf(actor),
      target: { kind: "profile", id: profile.id, label: profile.name },
      data: profileAuditData(profile),
    },
    { container: "profiles", partitionKey: profile.workspaceId, id: profile.id, landed: "present" },
    () => withinCap(store, caps.profiles(access.workspace.id), () => profiles.create(profile)),
  );
}
