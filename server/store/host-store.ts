import { CONTAINERS, ZHost } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function hostStore(store: Store) {
  const hosts = new DocumentCollection(store, CONTAINERS.hosts, ZHost, {
    exists: "A host with this name already exists in the workspace.",
    changed: "This host was changed by someone else. Reload and try again.",
  });
  return {
    /** One workspace's live hosts by name, a page at a time. */
    list: (workspaceId: string, options: { limit: number; cursor?: string }) =>
      hosts.query("SELECT * FROM c WHERE IS_NULL(c.deletedAt) ORDER BY c.name ASC", [], { partitionKey: workspaceId, ...options }),
  };
}
