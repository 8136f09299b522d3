/**
 * The input the hosts list asks with, shared by HostsList and the page's server prefetch: the same
 * input makes the same query key, so the prefetched first page is found in the browser's cache.
 */
export const hostsListInput = (workspaceId: string) => ({ workspaceId, limit: 50 });
