import { CONTAINERS, type TProfile, ZProfile } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function profileStore(store: Store) {
  const profiles = new DocumentCollection(store, CONTAINERS.profiles, ZProfile, {
    exists: "A profile with this name already exists in the workspace.",
    changed: "This profile was changed by someone else. Reload and try again.",
    existsField: "name",
  });
  return {
    get: (workspaceId: string, profileId: string) => profiles.read(profileId, workspaceId),
    /** These profiles of one workspace, in one query; ids of other workspaces' profiles find nothing. */
    getMany: (workspaceId: string, profileIds: readonly string[]) =>
      profileIds.length === 0
        ? Promise.resolve([])
        : profiles.queryAll("SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)", [{ name: "@ids", value: [...profileIds] }], { partitionKey: workspaceId }),
    create: (profile: TProfile) => profiles.create(profile),
    replace: (profile: TProfile, etag: string) => profiles.replace(profile, etag, profile.workspaceId),
    delete: (workspaceId: string, profileId: string) => profiles.delete(profileId, workspaceId),
    list: (workspaceId: string, options: { limit: number; cursor?: string }) =>
      profiles.query("SELECT * FROM c ORDER BY c.nameKey ASC", [], { partitionKey: workspaceId, ...options }),
    /** Profiles, in every workspace, that keep warm sandboxes. */
    withWarmPool: () => profiles.queryAll("SELECT * FROM c WHERE c.warmPool > 0", []),
    /** The profiles set to "My default Docker host": they land on whichever Docker host each person marked. */
    onDefaultDocker: (workspaceId: string) =>
      profiles.queryAll("SELECT * FROM c WHERE c.hostChoice.kind = 'default-docker'", [], { partitionKey: workspaceId }),
    /** The profiles whose host choice names this host: what deleting it would strand. */
    pointingAtHost: (workspaceId: string, hostId: string) =>
      profiles.queryAll("SELECT * FROM c WHERE c.hostChoice.kind = 'host' AND c.hostChoice.hostId = @host", [{ name: "@host", value: hostId }], {
        partitionKey: workspaceId,
      }),
  };
}
