import { type AuditUrlFilter, serverFilter } from "./audit-url-filter";

/**
 * The inputs the Audit page asks with, shared by its client components and the page's server
 * prefetch: the same input makes the same query key, so prefetched data is found in the cache.
 */
export const auditListInput = (workspaceId: string, filter: AuditUrlFilter) => ({ workspaceId, limit: 50, ...serverFilter(filter) });

/** Hosts and profiles the rows may name, to show names instead of ids (one page of each). */
export const auditNamesInput = (workspaceId: string) => ({ workspaceId, limit: 200 });
