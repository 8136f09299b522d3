import { dockerSettingsOf, hostUserId, OPERATOR_COMMANDS, type THost, type THostUsage, type TProfile, ZDockerPoolStatusReply } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformChannel } from "../../channel/platform-channel";
import { notFound } from "../../errors";
import { log } from "../../log";
import { operatorCommand } from "../../providers/operator-host/operator-command";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { warmSpecOf } from "./docker-pools";

/** The host page asks every few seconds: an operator slower than this shows the counts as unknown, not a hung page. */
const POOL_STATUS_TIMEOUT_MS = 4_000;

export interface HostUsageOptions {
  store: Store;
  access: WorkspaceAccess;
  hostId: string;
  /** Undefined when the channel is not configured: then no operator can be asked. */
  channel: PlatformChannel | undefined;
}

/**
 * The profiles that use a host (pinned to it, or, on a Local Docker host, set to "My default
 * Docker host") and, for each that keeps a warm pool here, how many warm containers it wants and
 * how many the operator has ready now. Another workspace's host is NOT_FOUND.
 */
export async function hostUsage({ store, access, hostId, channel }: HostUsageOptions): Promise<THostUsage> {
  const host = await hostStore(store).get(access.workspace.id, hostId);
  if (!host) throw notFound("Host");
  const profiles = await profilesUsing(store, host);
  const wanted = new Map(dockerSettingsOf(host).warmPools.filter((pool) => pool.size > 0).map((pool) => [pool.profileId, pool.size]));
  const pooled = host.kind === "docker" ? profiles.filter((profile) => wanted.has(profile.id)) : [];
  const { counts, warmCounts } = await readyCounts(host, pooled, channel);

  return {
    profiles: profiles.map((profile) => {
      const size = pooled.includes(profile) ? wanted.get(profile.id) : undefined;
      return {
        id: profile.id,
        name: profile.name,
        via: profile.hostChoice.kind === "default-docker" ? "default-docker" : "host",
        warmPool: size === undefined ? null : { wanted: size, ready: counts?.get(warmSpecOf(profile, host).definitionKey) ?? (counts ? 0 : null) },
      };
    }),
    warmCounts,
  };
}

async function profilesUsing(store: Store, host: THost): Promise<TProfile[]> {
  const profiles = profileStore(store);
  const pinned = await profiles.pointingAtHost(host.workspaceId, host.id);
  const viaDefault = host.kind === "docker" ? await profiles.onDefaultDocker(host.workspaceId) : [];
  return [...pinned, ...viaDefault].sort((a, b) => a.nameKey.localeCompare(b.nameKey));
}

/** Ready warm containers per definition key, as the operator counts them now. */
async function readyCounts(host: THost, pooled: TProfile[], channel: PlatformChannel | undefined): Promise<{ counts?: Map<string, number>; warmCounts: THostUsage["warmCounts"] }> {
  if (pooled.length === 0) return { warmCounts: "no-pools" };
  if (!channel || !(await channel.isConnected(hostUserId(host.id)))) return { warmCounts: "operator-offline" };
  try {
    const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.poolStatus, {}, ZDockerPoolStatusReply, POOL_STATUS_TIMEOUT_MS, "count its warm containers");
    return { counts: new Map(reply.pools.map((pool) => [pool.definitionKey, pool.ready])), warmCounts: "live" };
  } catch (error) {
    // An operator from before pool.status, or one busy past the timeout: the sizes still show.
    log.info("host.pool_status_unavailable", { workspaceId: host.workspaceId, hostId: host.id, error });
    return { warmCounts: "unavailable" };
  }
}
