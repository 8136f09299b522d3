"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { TRunFilters } from "@/prisma-free-schema";
import { filtersFromSearch, searchWithFilters } from "./run-filters-url";

/**
 * The runs list's filters, kept in the URL's query string: a reload or a shared link shows the
 * same list. Changing them replaces the history entry (narrowing a list is not a new page).
 */
export function useRunFilters(): [TRunFilters, (change: Partial<TRunFilters> | null) => void] {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search.toString())), [search]);
  const setFilters = useCallback(
    (change: Partial<TRunFilters> | null) => {
      const current = new URLSearchParams(search.toString());
      const next = change === null ? {} : { ...filtersFromSearch(current), ...change };
      const query = searchWithFilters(current, next);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [search, router, pathname],
  );
  return [filters, setFilters];
}
