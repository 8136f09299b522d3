import type { TDockerHostSettings, THostView } from "@/prisma-free-schema";
import { dockerSettingsOf } from "@/prisma-free-schema";
import { type Actor, auditActorOf } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformChannel } from "../../channel/platform-channel";
import { AppError, notFound } from "../../errors";
import { HOST_CHANGED_MESSAGE, hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { auditedChange } from "../audit/append-audit-event";
import { landsOnDockerHost, pushDockerPoolsInBackground } from "./docker-pools";
import { toHostView } from "./host-view";

export interface UpdateDockerSettingsOptions {
  store: Store;
  actor: Actor;
  access: WorkspaceAccess;
  hostId: string;
  /** The host's revision the admin edited (see updateHost). */
  revision: string;
  settings: TDockerHostSettings;
  /** When given, the new warm pools are sent to the operator right away (not awaited). */
  channel?: PlatformChannel;
}

/** A Local Docker host's sandbox network and warm pools; pools of size 0 are dropped (nothing to keep warm). */
export async function updateDockerSettings({ store, actor, access, hostId, revision, settings, channel }: UpdateDockerSettingsOptions): Promise<THostView> {
  const hosts = hostStore(store);
  const found = await hosts.get(access.workspace.id, hostId);
  if (!found) throw notFound("Host");
  if (found.kind !== "docker") throw new AppError("BAD_REQUEST", `${found.name} is a Kubernetes host; the sandbox network and warm pools are Local Docker settings.`, { field: "kind" });
  const warmPools = settings.warmPools.filter((pool) => pool.size > 0);
  const profiles = profileStore(store);
  for (const pool of warmPools) {
    const profile = await profiles.get(access.workspace.id, pool.profileId);
    if (!profile) throw new AppError("BAD_REQUEST", "A warm pool names a profile that does not exist in this workspace; reload and try again.", { field: "warmPools" });
    if (!landsOnDockerHost(profile, found)) {
      throw new AppError("BAD_REQUEST", `Profile “${profile.name}” does not run on ${found.name}, so it cannot have warm containers here.`, { field: "warmPools" });
    }
  }
  const next: TDockerHostSettings = { network: settings.network, warmPools };

  // The revision the editor saw is the one changed (any other edit moves it), so what it held before is `found`'s.
  if (found.updatedAt !== revision) throw new AppError("CONFLICT", HOST_CHANGED_MESSAGE);
  const previous = dockerSettingsOf(found);
  const updatedAt = new Date().toISOString();
  const updated = await auditedChange(
    store,
    {
      workspaceId: found.workspaceId,
      eventType: "host.docker_settings_changed",
      actor: auditActorOf(actor),
      target: { kind: "host", id: found.id, label: found.name },
      data: {
        networkBefore: previous.network,
        networkAfter: next.network,
        warmPoolsBefore: previous.warmPools.slice(0, 32).map((pool) => `${pool.profileId}=${pool.size}`),
        warmPoolsAfter: warmPools.slice(0, 32).map((pool) => `${pool.profileId}=${pool.size}`),
      },
    },
    { container: "hosts", partitionKey: found.workspaceId, id: found.id, landed: { field: "updatedAt", equals: updatedAt } },
    async () => {
      const result = await hosts.update(access.workspace.id, hostId, (host) => {
        if (host.updatedAt !== revision) throw new AppError("CONFLICT", HOST_CHANGED_MESSAGE);
        return { ...host, docker: next, updatedAt };
      });
      if (!result?.after) throw notFound("Host");
      return result.after;
    },
  );
  if (channel) pushDockerPoolsInBackground(store, channel, { workspaceId: updated.workspaceId, hostId: updated.id });
  return toHostView(updated, access);
}
