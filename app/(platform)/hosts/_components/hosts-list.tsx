"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { InfiniteList } from "../../_components/infinite-list";
import { ListCard } from "../../_components/list-card";
import { EmptyListMessage } from "../../_components/query-state";
import { HostsTable } from "./hosts-table";
import { hostsListInput } from "./hosts-queries";
import { LIVE_REFETCH_MS } from "./live-refetch";

export function HostsList({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    // Polled like the host page, so statuses and last-seen times follow the operators' check-ins.
    trpc.hosts.list.infiniteQueryOptions(hostsListInput(workspaceId), { getNextPageParam: (page) => page.cursor, refetchInterval: LIVE_REFETCH_MS }),
  );

  return (
    <ListCard
      headingId="hosts-heading"
      title="Registered hosts"
      description="Kubernetes clusters and Docker engines whose operators run sandboxes for this workspace."
    >
      <InfiniteList
        query={query}
        messages={{ loading: "Loading hosts…", failed: "Could not load hosts.", failedMore: "Could not load more hosts." }}
        empty={
          <EmptyListMessage title="No hosts yet.">
            Registering a host adds it here, awaiting its operator, until the operator you install in your cluster or on your Docker engine connects. Until then every profile runs on managed compute.
          </EmptyListMessage>
        }
      >
        {(hosts) => <HostsTable hosts={hosts} />}
      </InfiniteList>
    </ListCard>
  );
}
