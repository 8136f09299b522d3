import type { TMember, TProfileReadiness, TWorkspace } from "@/prisma-free-schema";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { directLookups, resolveProfile, type ResolverLookups } from "./resolve-profile";

export interface ResolveProfilesOptions {
  store: Store;
  workspace: TWorkspace;
  member: TMember;
  profileIds: readonly string[];
}

/** Reads each host, and the month's allowance, at most once however many profiles ask. */
function memoised(lookups: ResolverLookups): ResolverLookups {
  const hosts = new Map<string, ReturnType<ResolverLookups["host"]>>();
  let allowance: ReturnType<ResolverLookups["allowanceRefusal"]> | undefined;
  return {
    host: (hostId) => {
      let found = hosts.get(hostId);
      if (!found) hosts.set(hostId, (found = lookups.host(hostId)));
      return found;
    },
    allowanceRefusal: () => (allowance ??= lookups.allowanceRefusal()),
  };
}

/**
 * The resolver's verdict on a page of profiles for one person, as the profiles list shows it: the
 * same answer `profiles.resolve` gives one at a time, from one read of the profiles. Ids that are
 * not this workspace's profiles (deleted since, or another workspace's) are left out.
 */
export async function resolveProfiles({ store, workspace, member, profileIds }: ResolveProfilesOptions): Promise<TProfileReadiness[]> {
  const profiles = await profileStore(store).getMany(workspace.id, profileIds);
  const lookups = memoised(directLookups(store, workspace));
  return Promise.all(
    profiles.map(async (profile) => ({ profileId: profile.id, resolution: await resolveProfile({ store, workspace, member, profile, lookups }) })),
  );
}
