import { OPERATOR_COMMANDS, hostUserId, type TDockerVolume, ZDockerVolumeRemoveReply, ZDockerVolumesListReply } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformChannel } from "../../channel/platform-channel";
import { AppError, notFound } from "../../errors";
import { operatorCommand } from "../../providers/operator-host/operator-command";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { appendAuditEvent } from "../audit/append-audit-event";

const VOLUMES_TIMEOUT_MS = 15_000;

interface VolumeOptions {
  store: Store;
  access: WorkspaceAccess;
  channel: PlatformChannel;
  hostId: string;
}

async function dockerHost(store: Store, access: WorkspaceAccess, hostId: string) {
  const host = await hostStore(store).get(access.workspace.id, hostId);
  if (!host) throw notFound("Host");
  if (host.kind !== "docker") throw new AppError("BAD_REQUEST", `${host.name} is a Kubernetes host; workspace volumes are kept on Local Docker hosts.`);
  return host;
}

/** The persistent workspace volumes on a Docker host, as its operator lists them; `connected: false` (and none) while it is away. */
export async function listDockerVolumes({ store, access, channel, hostId }: VolumeOptions): Promise<{ connected: boolean; volumes: TDockerVolume[] }> {
  const host = await dockerHost(store, access, hostId);
  if (!(await channel.isConnected(hostUserId(host.id)))) return { connected: false, volumes: [] };
  const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.volumesList, {}, ZDockerVolumesListReply, VOLUMES_TIMEOUT_MS, "list its volumes");
  return { connected: true, volumes: reply.volumes };
}

/** Removes one workspace volume (someone's persistent workspace for a profile): it cannot be undone, so it is audited once done. */
export async function removeDockerVolume({ store, access, channel, hostId, actor, name }: VolumeOptions & { actor: Actor; name: string }): Promise<{ removed: boolean }> {
  const host = await dockerHost(store, access, hostId);
  if (!(await channel.isConnected(hostUserId(host.id)))) {
    throw new AppError("PRECONDITION_FAILED", `The operator of ${host.name} is not connected; volumes can be removed only while it is.`);
  }
  const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.volumesRemove, { name }, ZDockerVolumeRemoveReply, VOLUMES_TIMEOUT_MS, `remove the volume ${name}`);
  await appendAuditEvent(store, {
    workspaceId: host.workspaceId,
    eventType: "host.docker_volume_removed",
    actor: auditActorOf(actor),
    target: { kind: "host", id: host.id, label: host.name },
    data: { volume: name, removed: reply.removed },
  });
  return reply;
}
