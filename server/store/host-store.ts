import { CONTAINERS, type THost, ZHost } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

export const HOST_CHANGED_MESSAGE = "This host was changed by someone else. Reload and try again.";

const UPDATE_ATTEMPTS = 5;
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
    /**
     * Reads the host, applies `change` and replaces it on its etag; when another write came first
     * (operators' check-ins write hosts every few seconds) it reads again and reapplies, so
     * neither write is lost. `change` may throw to refuse, or return undefined to leave the host
     * as it is (then `after` is undefined). Undefined when there is no such host.
     */
    update: async (workspaceId: string, hostId: string, change: (host: THost) => THost | undefined): Promise<HostUpdate | undefined> => {
      for (let attempt = 1; ; attempt += 1) {
        const found = await hosts.read(hostId, workspaceId);
        if (!found) return undefined;
        const { etag, ...before } = found;
        const next = change(before);
        if (!next) return { before, after: undefined };
        try {
          return { before, after: await hosts.replace(next, etag, workspaceId) };
        } catch (error) {
          // A CONFLICT naming no field is a stale etag; anything else is not ours to retry.
          const stale = error instanceof AppError && error.code === "CONFLICT" && !error.options.field;
          if (!stale || attempt >= UPDATE_ATTEMPTS) throw error;
        }
      }
    },
    /** A host by id alone, for the operator's key exchange (which knows no workspace). */
    findById: async (hostId: string) =>
      (await hosts.queryAll("SELECT * FROM c WHERE c.id = @id", [{ name: "@id", value: hostId }]))[0],
    /** Registered hosts, in every workspace, whose operator has not been seen since `cutoff`. */
    listSilent: (cutoff: string) =>
      hosts.queryAll("SELECT * FROM c WHERE c.status = 'registered' AND c.lastSeenAt < @cutoff", [{ name: "@cutoff", value: cutoff }]),
    /** One workspace's hosts by name, a page at a time. */
    list: (workspaceId: string, options: { limit: number; cursor?: string }) =>
      hosts.query("SELECT * FROM c ORDER BY c.name ASC", [], { partitionKey: workspaceId, ...options }),
  };
}
