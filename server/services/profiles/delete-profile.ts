import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";

export async function deleteProfile({ store, actor, access, profileId }: { store: Store; actor: Actor; access: WorkspaceAccess; profileId: string }): Promise<void> {
  const profiles = profileStore(store);
  const found = await profiles.get(access.workspace.id, profileId);
  if (!found) throw notFound("Profile");
  const { etag: _etag, ...profile } = found;
  await auditedChange(
    store,
    {
      workspaceId: profile.workspaceId,
      eventType: "profile.deleted",
      actor: auditActorOf(actor),
      target: { kind: "profile", id: profile.id, label: profile.name },
    },
    { container: "profiles", partitionKey: profile.workspaceId, id: profile.id, landed: "absent" },
    () => profiles.delete(profile.workspaceId, profile.id),
  );
}
