import { CONTAINERS, type THost, ZHost } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function hostStore(store: Store) {
  const hosts = new DocumentCollection(store, CONTAINERS.hosts, ZHost, {
    exists: "A host with this name already exists in the workspace.",
    changed: "This host was changed by someone else. Reload and try again.",
    existsField: "name",
  });
  return {
    get: (workspaceId: string, hostId: string) => hosts.read(hostId, workspaceId),
    create: (host: THost) => hosts.create(host),
    replace: (host: THost, etag: string) => hosts.replace(host, etag, host.workspaceId),
    delete: (workspaceId: string, hostId: string) => hosts.delete(hostId, workspaceId),
    /** A host by id alone, for the operator's key exchange (which knows no workspace). */
    findById: async (hostId: string) =>
      (await hosts.queryAll("SELECT * FROM c WHERE c.id = @id", [{ name: "@id", value: hostId }]))[0],
    /** One workspace's hosts by name, a page at a time. */
    list: (workspaceId: string, options: { limit: number; cursor?: string }) =>
      hosts.query("SELECT * FROM c ORDER BY c.name ASC", [], { partitionKey: workspaceId, ...options }),
  };
}
