import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import { memberStore } from "../../store/member-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";

export interface DeleteHostOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  hostId: string;
  /** Delete even though profiles still point at it; they then resolve to "host deleted". */
  force: boolean;
  /** Ends the connection of the deleted host's operator. */
  disconnectOperator?: (hostId: string, reason: string) => Promise<void>;
}

/**
 * Removes a host: new launches on it stop at once (the resolver finds no host); sandboxes
 * already running on it are left alone; the audit rows about it stay. Without `force` it
 * refuses while profiles point at the host, naming them, so they can be moved first.
 */
export async function deleteHost({ store, actor, access, hostId, force, disconnectOperator }: DeleteHostOptions): Promise<{ strandedProfiles: string[] }> {
  const hosts = hostStore(store);
  const found = await hosts.get(access.workspace.id, hostId);
  if (!found) throw notFound("Host");
  const stranded = (await profileStore(store).pointingAtHost(access.workspace.id, hostId)).map((profile) => profile.name).sort();
  if (stranded.length > 0 && !force) {
    throw new AppError("CONFLICT", `Profiles still point at ${found.name}: ${stranded.join(", ")}. Move them to another host first, or delete anyway.`, {
      field: "profiles",
    });
  }
  const { etag: _etag, ...host } = found;
  await auditedChange(
    store,
    {
      workspaceId: host.workspaceId,
      eventType: "host.deleted",
      actor: auditActorOf(actor),
      target: { kind: "host", id: host.id, label: host.name },
      data: { kind: host.kind, strandedProfiles: stranded },
    },
    { container: "hosts", partitionKey: host.workspaceId, id: host.id, landed: "absent" },
    () => hosts.delete(host.workspaceId, host.id),
  );

  await disconnectOperator?.(host.id, "The host was deleted.");

  // Nobody's "my default Docker host" may point at a host that is gone.
  const members = memberStore(store);
  for (const member of await members.withDefaultDockerHost(host.workspaceId, host.id)) {
    const { etag, ...rest } = member;
    await members.replace({ ...rest, defaultDockerHostId: null, updatedAt: new Date().toISOString() }, etag).catch(() => undefined);
  }
  return { strandedProfiles: stranded };
}
