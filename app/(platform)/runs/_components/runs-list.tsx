"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ui } from "@/app/_lib/ui";
import { InfiniteList } from "../../_components/infinite-list";
import { ListCard } from "../../_components/list-card";
import { EmptyListMessage } from "../../_components/query-state";
import { useWorkspace } from "../../_components/workspace-context";
import { RUN_REFETCH_MS } from "./live-refetch";
import { RunFiltersBar } from "./run-filters-bar";
import { hasFilters } from "./run-filters-url";
import { runsListInput } from "./runs-queries";
import { RunsTable } from "./runs-table";
import { useRunFilters } from "./use-run-filters";

export function RunsList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const [filters, setFilters] = useRunFilters();
  const filtered = hasFilters(filters);
  const query = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      runsListInput(workspace.id, filters),
      // The rows stay while a changed filter's answer comes, instead of a spinner per keystroke.
      { getNextPageParam: (page) => page.cursor, refetchInterval: RUN_REFETCH_MS, placeholderData: keepPreviousData },
    ),
  );

  return (
    <ListCard headingId="runs-heading" title="All runs" description="Every run in this workspace, newest first, whoever started it.">
      <RunFiltersBar filters={filters} onChange={setFilters} />
      <InfiniteList
        query={query}
        messages={{ loading: "Loading runs…", failed: "Could not load runs.", failedMore: "Could not load more runs." }}
        empty={
          filtered ? (
            <EmptyListMessage title="No run matches these filters.">
              Try fewer words or another filter, or{" "}
              <button type="button" onClick={() => setFilters(null)} className={ui.link}>
                clear the filters
              </button>{" "}
              to see every run.
            </EmptyListMessage>
          ) : (
            <EmptyListMessage title="No runs yet.">
              Start one with “New run” above, or from a profile on the{" "}
              <Link href="/profiles" className={ui.link}>
                Profiles
              </Link>{" "}
              page.
            </EmptyListMessage>
          )
        }
      >
        {(runs) => <RunsTable runs={runs} />}
      </InfiniteList>
    </ListCard>
  );
}
