"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { TRunFilters } from "@/prisma-free-schema";
import { filtersFromSearch, searchWithFilters } from "./run-filters-url";

/**
 * The runs list's filters, kept in the URL's query string: a reload or a shared link shows the
 * same list. Changing them replaces the history entry (narrowing a list is not a new page), with
 * the browser's own history call: Next.js updates useSearchParams without rendering the page again
 * on the server (whose prefetch of the old filter's rows would hold the old rows on screen).
 */
export function useRunFilters(): [TRunFilters, (change: Partial<TRunFilters> | null) => void] {
  const search = useSearchParams();
  const pathname = usePathname();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search.toString())), [search]);
  const setFilters = useCallback(
    (change: Partial<TRunFilters> | null) => {
      const current = new URLSearchParams(search.toString());
      const next = change === null ? {} : { ...filtersFromSearch(current), ...change };
      const query = searchWithFilters(current, next);
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [search, pathname],
  );
  return [filters, setFilters];
}
