import type { TRunFilters } from "@/prisma-free-schema";
import { filtersFromSearch } from "./run-filters-url";

/**
 * The inputs the runs list asks with, shared by its client components and the page's server
 * prefetch: the same input makes the same query key, so prefetched data is found in the cache.
 */
export const runsListInput = (workspaceId: string, filters: TRunFilters) => ({ workspaceId, limit: 50, ...filters });

/** The choices of the host and person filters. */
export const runFilterOptionsInput = (workspaceId: string) => ({ workspaceId });

/** The workspace's profiles (the first 200, more than a workspace keeps in practice), for the filter and "New run". */
export const workspaceProfilesInput = (workspaceId: string) => ({ workspaceId, limit: 200 });

type SearchParams = Record<string, string | string[] | undefined>;

/** The filters of a page's `searchParams`, read exactly as the browser reads its URL's query string. */
export function filtersFromSearchParams(searchParams: SearchParams): TRunFilters {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) for (const one of [value ?? []].flat()) params.append(name, one);
  return filtersFromSearch(params);
}
