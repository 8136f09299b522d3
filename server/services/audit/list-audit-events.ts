import type { TAuditEvent, TAuditFilter } from "@/prisma-free-schema";
import { auditStore } from "../../store/audit-store";
import type { Page } from "../../store/documents";
import type { Store } from "../../store/store";
import { redactAuditFields } from "./append-audit-event";

export interface ListAuditEventsOptions extends TAuditFilter {
  store: Store;
  workspaceId: string;
  limit: number;
  cursor?: string;
}

export async function listAuditEvents(options: ListAuditEventsOptions): Promise<Page<TAuditEvent>> {
  const { store, workspaceId, ...query } = options;
  const page = await auditStore(store).list(workspaceId, query);
  // Rows are redacted when written; redacting again on the way out covers rows written before a
  // rule existed (a row is never rewritten once confirmed, so an old one keeps what it was written with).
  return { items: page.items.map(({ etag: _etag, ...event }) => ({ ...event, ...redactAuditFields(event) })), cursor: page.cursor };
}
