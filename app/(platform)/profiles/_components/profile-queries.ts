/**
 * The inputs the profile pages ask with, shared by their client components and the pages' server
 * prefetch: the same input makes the same query key, so prefetched data is found in the cache.
 */
export const profilesListInput = (workspaceId: string) => ({ workspaceId, limit: 50 });

/** Every host, a page of 200 at a time (useAllHosts). */
export const allHostsInput = (workspaceId: string) => ({ workspaceId, limit: 200 });

/** As many as one list page holds, so each page loaded costs one more readiness call, never one per row. */
const READINESS_BATCH = 50;

export function readinessBatches(profileIds: readonly string[]): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < profileIds.length; start += READINESS_BATCH) batches.push(profileIds.slice(start, start + READINESS_BATCH));
  return batches;
}
