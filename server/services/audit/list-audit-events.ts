import type { TAuditEvent, TAuditEventType } from "@/prisma-free-schema";
import { auditStore } from "../../store/audit-store";
import type { Page } from "../../store/documents";
import type { Store } from "../../store/store";

export interface ListAuditEventsOptions {
  store: Store;
  workspaceId: string;
  eventType?: TAuditEventType;
  limit: number;
  cursor?: string;
}

export async function listAuditEvents(options: ListAuditEventsOptions): Promise<Page<TAuditEvent>> {
  const page = await auditStore(options.store).list(options.workspaceId, options);
  return { items: page.items.map(({ etag: _etag, ...event }) => event), cursor: page.cursor };
}
