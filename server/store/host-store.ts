import { CONTAINERS, type THost, type THostPresence, type THostPresenceFields, type TReportedWarmPools, ZHost, ZHostPresence } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

export const HOST_CHANGED_MESSAGE = "This host was changed by someone else. Reload and try again.";

export interface HostUpdate {
  before: THost;
  after: WithEtag<THost> | undefined;
}

export interface PresenceUpdate {
  before: THostPresenceFields;
  after: THostPresenceFields | undefined;
}

/** A host as everyone reads it: its document, with its presence (when it has one of its own) in place of the document's. */
function withPresence<H extends THost>(host: H, presence: THostPresence | undefined): H {
  if (!presence) return host;
  return { ...host, status: presence.status, lastSeenAt: presence.lastSeenAt, operatorVersion: presence.operatorVersion, health: presence.health };
}

/** A host document has no warm pools, so none are written onto one (`replace`, `update`). */
function presenceFieldsOf(from: THostPresenceFields): THostPresenceFields {
  const fields = { status: from.status, lastSeenAt: from.lastSeenAt, operatorVersion: from.operatorVersion, health: from.health };
  return from.warmPools === undefined ? fields : { ...fields, warmPools: from.warmPools };
}

/**
 * Hosts, each read with its presence (ZHostPresence, kept in a container of its own so the
 * operator's check-ins never rewrite the document people edit). Every read merges the two; writes
 * of the host never touch its presence, and presence writes never touch the host.
 */
export function hostStore(store: Store) {
  const hosts = new DocumentCollection(store, CONTAINERS.hosts, ZHost, {
    exists: "A host with this name already exists in the workspace.",
    changed: HOST_CHANGED_MESSAGE,
    existsField: "name",
  });
  const presences = new DocumentCollection(store, CONTAINERS.hostPresence, ZHostPresence, {
    exists: "This host's presence was recorded at the same time.",
    changed: "This host's presence changed at the same time.",
  });
  /** The presence documents of these hosts of one workspace, by host id. */
  const presenceOf = async (workspaceId: string, hostIds: string[]): Promise<Map<string, THostPresence>> => {
    if (hostIds.length === 0) return new Map();
    const found = await presences.queryAll("SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)", [{ name: "@ids", value: hostIds }], { partitionKey: workspaceId });
    return new Map(found.map(({ etag: _etag, ...presence }) => [presence.id, presence]));
  };
  const merged = async <H extends THost>(found: H[]): Promise<H[]> => {
    const byWorkspace = new Map<string, string[]>();
    for (const host of found) {
      const ids = byWorkspace.get(host.workspaceId);
      if (ids) ids.push(host.id);
      else byWorkspace.set(host.workspaceId, [host.id]);
    }
    const presence = new Map<string, THostPresence>();
    for (const [workspaceId, ids] of byWorkspace) for (const [id, one] of await presenceOf(workspaceId, ids)) presence.set(id, one);
    return found.map((host) => withPresence(host, presence.get(host.id)));
  };
  const one = async <H extends THost>(host: H | undefined): Promise<H | undefined> => (host ? (await merged([host]))[0] : undefined);

  return {
    get: async (workspaceId: string, hostId: string) => {
      const [host, presence] = await Promise.all([hosts.read(hostId, workspaceId), presences.read(hostId, workspaceId)]);
      return host ? withPresence(host, presence) : undefined;
    },
    create: (host: THost) => hosts.create(host),
    /** Replaces what people edit on the etag they read; the document's own presence fields stay as stored. */
    replace: async (host: THost, etag: string) => {
      const stored = await hosts.read(host.id, host.workspaceId);
      if (!stored) throw new AppError("NOT_FOUND", "That was not found.");
      const [saved] = await merged([await hosts.replace({ ...host, ...presenceFieldsOf(stored) }, etag, host.workspaceId)]);
      return saved!;
    },
    delete: async (workspaceId: string, hostId: string) => {
      await hosts.delete(hostId, workspaceId);
      await presences.delete(hostId, workspaceId).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
      });
    },
    /**
     * Read-change-replace of what people edit (see DocumentCollection.update). `change` sees the
     * host with its presence; what it returns is saved without presence (that is updatePresence's).
     */
    update: async (workspaceId: string, hostId: string, change: (host: THost) => THost | undefined): Promise<HostUpdate | undefined> => {
      const presence = await presences.read(hostId, workspaceId);
      const result = await hosts.update(hostId, workspaceId, (stored) => {
        const next = change(withPresence(stored, presence));
        return next && { ...next, ...presenceFieldsOf(stored) };
      });
      if (!result) return undefined;
      return { before: withPresence(result.before, presence), after: result.after && withPresence(result.after, presence) };
    },
    /**
     * Read-change-write of a host's presence alone: made from the host's own fields the first time.
     * Undefined when there is no such host.
     */
    updatePresence: async (workspaceId: string, hostId: string, change: (current: THostPresenceFields) => THostPresenceFields | undefined): Promise<PresenceUpdate | undefined> => {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const existing = await presences.update(hostId, workspaceId, (current) => {
          const next = change(current);
          return next && { ...current, ...presenceFieldsOf(next) };
        });
        if (existing) return { before: presenceFieldsOf(existing.before), after: existing.after && presenceFieldsOf(existing.after) };
        const host = await hosts.read(hostId, workspaceId);
        if (!host) return undefined;
        const next = change(presenceFieldsOf(host));
        if (!next) return { before: presenceFieldsOf(host), after: undefined };
        try {
          await presences.create({ id: hostId, type: "hostPresence", workspaceId, ...presenceFieldsOf(next) });
          // Once, for a host registered before presence moved out: its own last-seen no longer
          // counts, so the sweep stops finding it among the silent hosts' own fields (listSilent).
          if (host.lastSeenAt !== null) await hosts.update(hostId, workspaceId, (stored) => (stored.lastSeenAt === null ? undefined : { ...stored, lastSeenAt: null }));
          return { before: presenceFieldsOf(host), after: presenceFieldsOf(next) };
        } catch (error) {
          // Another check-in made it first: change theirs.
          if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
        }
      }
      throw new AppError("CONFLICT", "This host's presence kept changing.");
    },
    /** The warm pools its operator reported at its last check-in; null when it reported none or never checked in. */
    reportedWarmPools: async (workspaceId: string, hostId: string): Promise<TReportedWarmPools | null> => (await presences.read(hostId, workspaceId))?.warmPools ?? null,
    /** A host by id alone, for the operator's key exchange (which knows no workspace). */
    findById: async (hostId: string) => one(await hosts.findById(hostId)),
    /** Registered hosts, in every workspace, whose operator has not been seen since `cutoff`. */
    listSilent: async (cutoff: string): Promise<{ workspaceId: string; id: string }[]> => {
      const query = "SELECT * FROM c WHERE c.status = 'registered' AND c.lastSeenAt < @cutoff";
      const parameters = [{ name: "@cutoff", value: cutoff }];
      const [silent, legacy] = await Promise.all([presences.queryAll(query, parameters), hosts.queryAll(query, parameters)]);
      // A host's own fields count only while it has no presence of its own (registered before presence moved out).
      const seen = new Set(silent.map((presence) => presence.id));
      const legacyOnly = (await merged(legacy)).filter((host) => !seen.has(host.id) && host.status === "registered" && host.lastSeenAt !== null && host.lastSeenAt < cutoff);
      return [...silent, ...legacyOnly].map(({ id, workspaceId }) => ({ id, workspaceId }));
    },
    /** Registered hosts in every workspace (their operators are connected, or were at their last check-in): what the periodic host sync visits. */
    listRegistered: async (): Promise<{ workspaceId: string; id: string }[]> =>
      (await presences.queryAll("SELECT * FROM c WHERE c.status = 'registered'", [])).map(({ id, workspaceId }) => ({ id, workspaceId })),
    /** A workspace's Local Docker hosts (warm pools are kept per Docker host). */
    listDocker: async (workspaceId: string) => merged(await hosts.queryAll("SELECT * FROM c WHERE c.kind = 'docker'", [], { partitionKey: workspaceId })),
    /** One workspace's hosts by name, a page at a time. */
    list: async (workspaceId: string, options: { limit: number; cursor?: string }) => {
      const page = await hosts.query("SELECT * FROM c ORDER BY c.name ASC", [], { partitionKey: workspaceId, ...options });
      return { ...page, items: await merged(page.items) };
    },
  };
}
