import type { TRunFilters } from "@/prisma-free-schema";
import { ZRunFilters } from "@/prisma-free-schema/run-list";

/** The query-string names of the runs list's filters: short, so a shared link reads well. */
const PARAMS = { status: "status", profileId: "profile", startedBy: "person", hostId: "host", q: "q" } as const satisfies Record<keyof TRunFilters, string>;
type FilterKey = keyof typeof PARAMS;
const KEYS = Object.keys(PARAMS) as FilterKey[];

/**
 * The filters a URL asks for. Each is checked on its own with the server's schema, so a link with
 * one stale or mistyped value still applies the others instead of failing the whole list.
 */
export function filtersFromSearch(search: URLSearchParams): TRunFilters {
  const filters: TRunFilters = {};
  for (const key of KEYS) {
    const raw = search.get(PARAMS[key]);
    if (raw === null) continue;
    const parsed = ZRunFilters.pick({ [key]: true } as { [K in FilterKey]?: true }).safeParse({ [key]: raw });
    const value = parsed.success ? (parsed.data as TRunFilters)[key] : undefined;
    if (value !== undefined) Object.assign(filters, { [key]: value });
  }
  return filters;
}

/** The query string for `filters` (without "?"), keeping any other parameter of `current`. */
export function searchWithFilters(current: URLSearchParams, filters: TRunFilters): string {
  const next = new URLSearchParams(current);
  for (const key of KEYS) {
    const value = filters[key];
    if (value) next.set(PARAMS[key], value);
    else next.delete(PARAMS[key]);
  }
  return next.toString();
}

export function hasFilters(filters: TRunFilters): boolean {
  return KEYS.some((key) => Boolean(filters[key]));
}
