import { OPERATOR_COMMANDS, dockerSettingsOf, type THost, type TProfile, ZDockerPoolConfigureReply } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { sandboxSpecOf } from "../../providers/operator-host/sandbox-spec";
import { operatorCommand } from "../../providers/operator-host/operator-command";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { sandboxDefinitionOf } from "../sandboxes/sandbox-definition";

const POOL_CONFIGURE_TIMEOUT_MS = 30_000;

type PoolTarget = { workspaceId: string; hostId: string };
interface PushOptions {
  /**
   * Skip a host whose Docker settings were never saved: it has no pools, and none to drain.
   * For the operator's connect, so a host nobody configured is not sent a command at every connect.
   */
  onlyIfConfigured?: boolean;
}

/** Whether a launch of `profile` can land on `host`: it names the host, or "my default Docker host" (someone's may be this one). */
export function landsOnDockerHost(profile: Pick<TProfile, "hostChoice">, host: Pick<THost, "id" | "kind">): boolean {
  if (host.kind !== "docker") return false;
  return profile.hostChoice.kind === "default-docker" || (profile.hostChoice.kind === "host" && profile.hostChoice.hostId === host.id);
}

/** The spec a launch of `profile` on Docker host `host` asks for: what its warm containers are made as, and claimed by (its definitionKey). */
export function warmSpecOf(profile: TProfile, host: Pick<THost, "id" | "name">) {
  const definition = sandboxDefinitionOf(profile, {
    ok: true,
    provider: "docker",
    host: { id: host.id, name: host.name, kind: "docker", workloadIdentity: false },
    viaDefaultDockerHost: profile.hostChoice.kind === "default-docker",
  });
  // Warm containers hold nobody's workspace, so no volume.
  return sandboxSpecOf(definition, null);
}

/**
 * Tells a Docker host's operator which warm containers to keep: one pool per profile with a
 * size, each with the spec a launch of that profile on this host would ask for (same
 * definition, same key), so a launch claims one. Profiles deleted or moved elsewhere since the
 * setting was saved are left out, which drains their pools. Warm containers hold nobody's
 * workspace, so their spec has no volume. Returns the operator's answer, or undefined when the
 * host is not a Docker host or its operator is not connected.
 */
export async function pushDockerPools(store: Store, channel: PlatformChannel, at: PoolTarget, options: PushOptions = {}) {
  const host = await hostStore(store).get(at.workspaceId, at.hostId);
  if (!host || host.kind !== "docker") return undefined;
  if (options.onlyIfConfigured && !host.docker) return undefined;
  if (!(await channel.isConnected(`host:${host.id}`))) return undefined;
  const profiles = profileStore(store);
  const pools = [];
  for (const pool of dockerSettingsOf(host).warmPools) {
    const profile = await profiles.get(at.workspaceId, pool.profileId);
    if (!profile || !landsOnDockerHost(profile, host)) continue;
    pools.push({ spec: warmSpecOf(profile, host), size: pool.size });
  }
  const reply = await operatorCommand(channel, host.id, OPERATOR_COMMANDS.poolConfigure, { pools }, ZDockerPoolConfigureReply, POOL_CONFIGURE_TIMEOUT_MS, "configure its warm pools");
  log.info("host.docker_pools_configured", { workspaceId: host.workspaceId, hostId: host.id, pools: reply.pools.length });
  return reply;
}

/** Fire and forget, for the operator's connect and a settings save: a failure is logged, and the next connect or save tries again. */
export function pushDockerPoolsInBackground(store: Store, channel: PlatformChannel, at: PoolTarget, options: PushOptions = {}): void {
  void pushDockerPools(store, channel, at, options).catch((error: unknown) => log.warn("host.docker_pools_push_failed", { ...at, error }));
}

/**
 * A profile changed: every Docker host keeping warm containers for it gets its pools again, so
 * containers of the old definition are drained and new ones made.
 */
export async function pushDockerPoolsForProfile(store: Store, channel: PlatformChannel, workspaceId: string, profileId: string): Promise<void> {
  for (const host of await hostStore(store).listDocker(workspaceId)) {
    if (dockerSettingsOf(host).warmPools.some((pool) => pool.profileId === profileId)) {
      pushDockerPoolsInBackground(store, channel, { workspaceId, hostId: host.id });
    }
  }
}
