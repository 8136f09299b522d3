import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import { memberStore } from "../../store/member-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";

export interface SetDefaultDockerHostOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  /** null clears the default. */
  hostId: string | null;
}

/**
 * Marks one Local Docker host, registered by this person, as "my default Docker host": the
 * choice is per person, so teammates sharing a profile each land on their own machine.
 */
export async function setDefaultDockerHost({ store, actor, access, hostId }: SetDefaultDockerHostOptions): Promise<void> {
  let label = "none";
  if (hostId !== null) {
    const host = await hostStore(store).get(access.workspace.id, hostId);
    if (!host) throw notFound("Host");
    if (host.kind !== "docker") throw new AppError("BAD_REQUEST", `${host.name} is a Kubernetes host; only a Local Docker host can be your default Docker host.`);
    if (host.createdBy !== actor.userId) {
      throw new AppError("FORBIDDEN", `${host.name} was registered by ${host.createdByEmail}; your default Docker host must be one you registered.`);
    }
    label = host.name;
  }
  const members = memberStore(store);
  const { etag, ...member } = access.member;
  if (member.defaultDockerHostId === hostId) return;
  const updatedAt = new Date().toISOString();
  await auditedChange(
    store,
    {
      workspaceId: member.workspaceId,
      eventType: "host.default_docker_set",
      actor: auditActorOf(actor),
      target: { kind: "host", id: hostId ?? "none", label },
      data: { member: member.email, previousHostId: member.defaultDockerHostId },
    },
    { container: "members", partitionKey: member.workspaceId, id: member.id, landed: { field: "updatedAt", equals: updatedAt } },
    () => members.replace({ ...member, defaultDockerHostId: hostId, updatedAt }, etag),
  );
}
