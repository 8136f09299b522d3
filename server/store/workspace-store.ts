import { CONTAINERS, type TWorkspace, ZWorkspace } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function workspaceStore(store: Store) {
  const workspaces = new DocumentCollection(store, CONTAINERS.workspaces, ZWorkspace, {
    exists: "A workspace with this id already exists.",
    changed: "This workspace was changed by someone else. Reload and try again.",
  });
  return {
    get: (id: string) => workspaces.read(id, id),
    create: (workspace: TWorkspace) => workspaces.create(workspace),
    replace: (workspace: TWorkspace, etag: string) => workspaces.replace(workspace, etag, workspace.id),
    delete: (id: string) => workspaces.delete(id, id),
    /** Workspaces by id, for a person's workspace list (ids come from their memberships). */
    getMany: (ids: readonly string[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : workspaces.queryAll("SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)", [{ name: "@ids", value: [...ids] }]),
    /** Workspaces by name, any case: for the command line on the platform's machine, never for a request. */
    findByName: (name: string) => workspaces.queryAll("SELECT * FROM c WHERE LOWER(c.name) = @name", [{ name: "@name", value: name.toLowerCase() }]),
  };
}
