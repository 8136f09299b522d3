import { dockerSettingsOf, type THost, type THostUsage, type TProfile } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { warmSpecOf } from "./docker-pools";

export interface HostUsageOptions {
  store: Store;
  access: WorkspaceAccess;
  hostId: string;
}

/**
 * The profiles that use a host (pinned to it, or, on a Local Docker host, set to "My default
 * Docker host") and, for each that keeps a warm pool here, how many warm containers it wants and
 * how many the operator had ready at its last check-in. Read from the store alone: the page polls
 * this every few seconds, and asking the customer's operator each time would load it with one
 * round trip per open page. Another workspace's host is NOT_FOUND.
 */
export async function hostUsage({ store, access, hostId }: HostUsageOptions): Promise<THostUsage> {
  const host = await hostStore(store).get(access.workspace.id, hostId);
  if (!host) throw notFound("Host");
  const profiles = await profilesUsing(store, host);
  const wanted = new Map(dockerSettingsOf(host).warmPools.filter((pool) => pool.size > 0).map((pool) => [pool.profileId, pool.size]));
  const pooled = host.kind === "docker" ? profiles.filter((profile) => wanted.has(profile.id)) : [];
  const { counts, warmCounts, countsAt } = await reportedCounts(store, host, pooled);

  return {
    profiles: profiles.map((profile) => {
      const size = pooled.includes(profile) ? wanted.get(profile.id) : undefined;
      return {
        id: profile.id,
        name: profile.name,
        via: profile.hostChoice.kind === "default-docker" ? "default-docker" : "host",
        warmPool: size === undefined ? null : { wanted: size, ready: readyOf(counts, warmSpecOf(profile, host).definitionKey, size) },
      };
    }),
    warmCounts,
    countsAt,
  };
}

async function profilesUsing(store: Store, host: THost): Promise<TProfile[]> {
  const profiles = profileStore(store);
  const pinned = await profiles.pointingAtHost(host.workspaceId, host.id);
  const viaDefault = host.kind === "docker" ? await profiles.onDefaultDocker(host.workspaceId) : [];
  return [...pinned, ...viaDefault].sort((a, b) => a.nameKey.localeCompare(b.nameKey));
}

type Counts = { counts?: Map<string, number>; warmCounts: THostUsage["warmCounts"]; countsAt: string | null };

/**
 * Ready warm containers per definition key, as the operator's last check-in said. Only the keys
 * of this workspace's own pooled profiles are ever looked up (readyOf), so whatever else an
 * operator reports is never shown.
 */
async function reportedCounts(store: Store, host: THost, pooled: TProfile[]): Promise<Counts> {
  if (pooled.length === 0) return { warmCounts: "no-pools", countsAt: null };
  if (host.status !== "registered") return { warmCounts: "operator-offline", countsAt: null };
  const report = await hostStore(store).reportedWarmPools(host.workspaceId, host.id);
  if (!report) return { warmCounts: "unavailable", countsAt: null };
  return { counts: new Map(report.pools.map((pool) => [pool.definitionKey, pool.ready])), warmCounts: "live", countsAt: report.reportedAt };
}

/**
 * A pool the operator did not mention has none ready yet (it has not been told of it). More
 * ready than wanted lasts only until the operator removes the extra (adopted ones): the page
 * says "3 of 3", never "5 of 3".
 */
function readyOf(counts: Map<string, number> | undefined, definitionKey: string, wanted: number): number | null {
  if (!counts) return null;
  return Math.min(counts.get(definitionKey) ?? 0, wanted);
}
