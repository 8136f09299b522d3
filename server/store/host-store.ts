import { CONTAINERS, type THost, ZHost } from "@/prisma-free-schema";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

export const HOST_CHANGED_MESSAGE = "This host was changed by someone else. Reload and try again.";

export interface HostUpdate {
  before: THost;
  after: WithEtag<THost> | undefined;
}

export function hostStore(store: Store) {
  const hosts = new DocumentCollection(store, CONTAINERS.hosts, ZHost, {
    exists: "A host with this name already exists in the workspace.",
    changed: HOST_CHANGED_MESSAGE,
    existsField: "name",
  });
  return {
    get: (workspaceId: string, hostId: string) => hosts.read(hostId, workspaceId),
    create: (host: THost) => hosts.create(host),
    replace: (host: THost, etag: string) => hosts.replace(host, etag, host.workspaceId),
    delete: (workspaceId: string, hostId: string) => hosts.delete(hostId, workspaceId),
    /** Read-change-replace that survives operators' check-ins writing the same host (see DocumentCollection.update). */
    update: (workspaceId: string, hostId: string, change: (host: THost) => THost | undefined): Promise<HostUpdate | undefined> =>
      hosts.update(hostId, workspaceId, change),
    /** A host by id alone, for the operator's key exchange (which knows no workspace). */
    findById: (hostId: string) => hosts.findById(hostId),
    /** Registered hosts, in every workspace, whose operator has not been seen since `cutoff`. */
    listSilent: (cutoff: string) =>
      hosts.queryAll("SELECT * FROM c WHERE c.status = 'registered' AND c.lastSeenAt < @cutoff", [{ name: "@cutoff", value: cutoff }]),
    /** A workspace's Local Docker hosts (warm pools are kept per Docker host). */
    listDocker: (workspaceId: string) => hosts.queryAll("SELECT * FROM c WHERE c.kind = 'docker'", [], { partitionKey: workspaceId }),
    /** One workspace's hosts by name, a page at a time. */
    list: (workspaceId: string, options: { limit: number; cursor?: string }) =>
      hosts.query("SELECT * FROM c ORDER BY c.name ASC", [], { partitionKey: workspaceId, ...options }),
  };
}
