"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ui } from "@/app/_lib/ui";
import { InfiniteList } from "../../_components/infinite-list";
import { ListCard } from "../../_components/list-card";
import { EmptyListMessage } from "../../_components/query-state";
import { useWorkspace } from "../../_components/workspace-context";
import { RUN_REFETCH_MS } from "./live-refetch";
import { RunsTable } from "./runs-table";

const PAGE_SIZE = 50;

export function RunsList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const query = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      { workspaceId: workspace.id, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.cursor, refetchInterval: RUN_REFETCH_MS },
    ),
  );

  return (
    <ListCard headingId="runs-heading" title="All runs" description="Every run in this workspace, newest first, whoever started it.">
      <InfiniteList
        query={query}
        messages={{ loading: "Loading runs…", failed: "Could not load runs.", failedMore: "Could not load more runs." }}
        empty={
          <EmptyListMessage title="No runs yet.">
            A run starts from a sandbox profile: open one on the{" "}
            <Link href="/profiles" className={ui.link}>
              Profiles
            </Link>{" "}
            page and type its first turn under “Start a run”.
          </EmptyListMessage>
        }
      >
        {(runs) => <RunsTable runs={runs} />}
      </InfiniteList>
    </ListCard>
  );
}
