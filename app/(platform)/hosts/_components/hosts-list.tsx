"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { HostsTable } from "./hosts-table";

const PAGE_SIZE = 50;

export function HostsList({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.hosts.list.infiniteQueryOptions({ workspaceId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.cursor }),
  );
  const hosts = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="hosts-heading" className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
        <h2 id="hosts-heading" className="text-base font-semibold text-slate-900">
          Registered hosts
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">Kubernetes clusters and Docker engines whose operators run sandboxes for this workspace.</p>
      </div>
      {query.isPending ? (
        <LoadingPanel label="Loading hosts…" />
      ) : !query.data ? (
        <div className="p-4">
          <QueryErrorPanel title="Could not load hosts." error={query.error} onRetry={() => void query.refetch()} />
        </div>
      ) : hosts.length === 0 ? (
        <div className="px-5 py-10 text-center sm:px-6">
          <p className="text-sm font-medium text-slate-900">No hosts yet.</p>
          <p className="mx-auto mt-1 max-w-lg text-sm text-slate-500">
            Registering a host adds it here, awaiting its operator, until the operator you install in your cluster or on your Docker engine connects. Until then every profile runs on managed compute.
          </p>
        </div>
      ) : (
        <>
          <div className="overflow-x-auto">
            <HostsTable hosts={hosts} />
          </div>
          {query.hasNextPage ? (
            <div className="flex justify-center border-t border-slate-200 px-4 py-3">
              <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} className={ui.secondaryButton}>
                {query.isFetchingNextPage ? "Loading more…" : "Load more"}
              </button>
            </div>
          ) : null}
          {query.isFetchNextPageError ? (
            <div className="px-4 pb-4">
              <QueryErrorPanel title="Could not load more hosts." error={query.error} onRetry={() => void query.fetchNextPage()} />
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
