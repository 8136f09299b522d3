import { CONTAINERS, type TAuditEvent, type TAuditEventType, ZAuditEvent } from "@/prisma-free-schema";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

export function auditStore(store: Store) {
  const events = new DocumentCollection(store, CONTAINERS.auditEvents, ZAuditEvent, {
    exists: "This audit event was already recorded.",
    changed: "Audit events are never changed.",
  });
  return {
    append: (event: TAuditEvent) => events.create(event),
    /** Newest first, one workspace's partition, optionally one event type. */
    list: (workspaceId: string, options: { eventType?: TAuditEventType; limit: number; cursor?: string }) =>
      events.query(
        `SELECT * FROM c${options.eventType ? " WHERE c.eventType = @type" : ""} ORDER BY c.at DESC`,
        options.eventType ? [{ name: "@type", value: options.eventType }] : [],
        { partitionKey: workspaceId, limit: options.limit, cursor: options.cursor },
      ),
  };
}
