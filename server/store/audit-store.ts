import type { SqlParameter } from "@azure/cosmos";
import { AUDITED_CONTAINERS, CONTAINERS, type TAuditCheck, type TAuditEvent, type TAuditFilter, ZAuditEvent } from "@/prisma-free-schema";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

export function auditStore(store: Store) {
  const events = new DocumentCollection(store, CONTAINERS.auditEvents, ZAuditEvent, {
    exists: "This audit event was already recorded.",
    changed: "Audit events are never changed.",
  });
  return {
    append: (event: TAuditEvent) => events.create(event),
    /**
     * The change a pending row recorded has landed: the row stays, no longer pending. A row the
     * settling pass removed meanwhile (it judged too early) is written again, confirmed.
     */
    confirm: async (event: TAuditEvent): Promise<void> => {
      const { pending: _pending, ...confirmed } = event;
      const result = await events.update(event.id, event.workspaceId, (current) => {
        if (!current.pending) return undefined;
        const { pending: _stale, ...kept } = current;
        return kept;
      });
      if (!result) await events.create(confirmed).catch((error: unknown) => void error);
    },
    /** A pending row whose change never happened (its own writer, who knows). */
    discard: (event: Pick<TAuditEvent, "id" | "workspaceId">) => events.delete(event.id, event.workspaceId),
    /** A pending row the settling pass judged never landed: removed only if no one confirmed it since it was read. */
    discardIfUnchanged: (event: Pick<TAuditEvent, "id" | "workspaceId">, etag: string) => events.deleteIfUnchanged(event.id, event.workspaceId, etag),
    /**
     * Newest first, one workspace's partition (so no filter can reach another's rows), narrowed
     * by `filter`; rows still pending are not shown. Times compare as ISO strings, as stored.
     */
    list: (workspaceId: string, options: TAuditFilter & { limit: number; cursor?: string }) => {
      const { where, parameters } = auditFilterClause(options);
      return events.query(`SELECT * FROM c WHERE ${where.join(" AND ")} ORDER BY c.at DESC`, parameters, {
        partitionKey: workspaceId,
        limit: options.limit,
        cursor: options.cursor,
      });
    },
    /** Rows, in any workspace, still pending after `now`: their process died between row and confirmation. */
    stalePending: (now: string): Promise<WithEtag<TAuditEvent>[]> =>
      events.queryAll("SELECT * FROM c WHERE IS_DEFINED(c.pending) AND c.pending.until < @now", [{ name: "@now", value: now }]),
  };
}

/**
 * Whether the change `check` describes is in the store: read from the container itself, as raw
 * JSON (any document type), so the settling pass needs no store per type.
 */
export async function auditedChangeLanded(store: Store, check: TAuditCheck): Promise<boolean> {
  const name = AUDITED_CONTAINERS.find((candidate) => candidate === check.container)!;
  const container = await store.container(CONTAINERS[name]);
  const { resource, statusCode } = await container.item(check.id, check.partitionKey).read<Record<string, unknown>>();
  const found = statusCode !== 404 && resource !== undefined;
  if (check.landed === "present") return found;
  if (check.landed === "absent") return !found;
  const value = check.landed.field.split(".").reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), resource);
  return found && value === check.landed.equals;
}

/** The WHERE conditions for an audit filter, every value a parameter. */
function auditFilterClause(filter: TAuditFilter): { where: string[]; parameters: SqlParameter[] } {
  const where = ["NOT IS_DEFINED(c.pending)"];
  const parameters: SqlParameter[] = [];
  const add = (condition: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    parameters.push({ name, value });
  };
  add("c.eventType = @type", "@type", filter.eventType);
  add("c.actor.id = @actor", "@actor", filter.actorId);
  add("c.target.kind = @targetKind", "@targetKind", filter.targetKind);
  add("c.target.id = @targetId", "@targetId", filter.targetId);
  add("c.at >= @since", "@since", filter.since && new Date(filter.since).toISOString());
  add("c.at < @until", "@until", filter.until && new Date(filter.until).toISOString());
  return { where, parameters };
}
