import { HOST_STATUS_LABELS, notReadyReason, type THost, type TMember, type TProfile, type TResolution, type TWorkspace } from "@/prisma-free-schema";
import { hostStore } from "../../store/host-store";
import type { Store } from "../../store/store";
import { NOT_ENTITLED_MESSAGE } from "../hosts/byo-entitlement";
import { computeAllowanceRefusal } from "../limits/compute-allowance";

export interface ResolveProfileOptions {
  store: Store;
  workspace: TWorkspace;
  /** The person launching: "my default Docker host" means theirs. */
  member: TMember;
  profile: TProfile;
  /** How hosts and the allowance are read; a batch passes memoised ones so each is read once. */
  lookups?: ResolverLookups;
}

export interface ResolverLookups {
  host: (hostId: string) => Promise<THost | undefined>;
  allowanceRefusal: () => Promise<Extract<TResolution, { ok: false }> | undefined>;
}

/** Straight reads, for one profile. */
export function directLookups(store: Store, workspace: TWorkspace): ResolverLookups {
  return { host: (hostId) => hostStore(store).get(workspace.id, hostId), allowanceRefusal: () => computeAllowanceRefusal(store, workspace) };
}

/**
 * Where a launch of `profile` by `member` lands right now: the provider and host, or a refusal
 * that says exactly what to fix. Every launch goes through here, and `profiles.resolve` shows
 * the same answer ahead of time, so a refusal comes early and clearly rather than mid-run.
 */
export async function resolveProfile({ store, workspace, member, profile, lookups = directLookups(store, workspace) }: ResolveProfileOptions): Promise<TResolution> {
  const choice = profile.hostChoice;
  if (choice.kind === "managed") {
    return (await lookups.allowanceRefusal()) ?? { ok: true, provider: "managed", host: null, viaDefaultDockerHost: false };
  }

  let host: THost | undefined;
  if (choice.kind === "host") {
    host = await lookups.host(choice.hostId);
    if (!host) {
      return { ok: false, reason: "host_deleted", message: `The host profile “${profile.name}” points at was deleted. Choose another host or Managed.` };
    }
  } else {
    if (!member.defaultDockerHostId) {
      return {
        ok: false,
        reason: "no_default_docker_host",
        message: "You have not set a default Docker host. Register a Local Docker host and mark it as your default on its page, or switch this profile to Managed.",
      };
    }
    host = await lookups.host(member.defaultDockerHostId);
    if (!host) {
      return { ok: false, reason: "no_default_docker_host", message: "Your default Docker host was deleted. Mark another Local Docker host as your default." };
    }
  }

  const named = { id: host.id, name: host.name };
  if (!workspace.plan.byoHosts) return { ok: false, reason: "not_entitled", message: NOT_ENTITLED_MESSAGE, host: named };
  if (host.status !== "registered") {
    const state = HOST_STATUS_LABELS[host.status].toLowerCase();
    const fix = host.status === "awaiting-operator" ? "Install its operator from the host's page" : "Bring its operator back online";
    return {
      ok: false,
      reason: "host_not_registered",
      message: `Host ${host.name} is not registered (${state}): new work launches only on a registered host. ${fix}, or switch this profile to Managed.`,
      host: named,
    };
  }
  const notReady = notReadyReason(host.health);
  if (notReady) {
    return {
      ok: false,
      reason: "host_not_ready",
      message: `Host ${host.name} is connected but cannot launch sandboxes: ${notReady}. Fix it on the host's side, or switch this profile to Managed.`,
      host: named,
    };
  }
  const missing = profile.runtimeFamilies.filter((family) => !host.runtimeFamilies.includes(family));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "runtime_families_missing",
      message: `Host ${host.name} does not serve ${missing.join(", ")}, which this profile needs. Add them to the host or pick a host that serves them.`,
      missingRuntimeFamilies: missing,
      host: named,
    };
  }
  return { ok: true, provider: host.kind, host: { id: host.id, name: host.name, kind: host.kind, workloadIdentity: host.workloadIdentity }, viaDefaultDockerHost: choice.kind === "default-docker" };
}
