"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { hasScope } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";
import { ProfilesTable } from "./profiles-table";
import { useAllHosts } from "./use-all-hosts";

const PAGE_SIZE = 50;

export function ProfilesList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const canSeeHosts = hasScope(workspace.scopes, "hosts.read");
  const hosts = useAllHosts(workspace.id, canSeeHosts);
  const query = useInfiniteQuery(
    trpc.profiles.list.infiniteQueryOptions({ workspaceId: workspace.id, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.cursor }),
  );
  const profiles = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="profiles-heading" className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
        <h2 id="profiles-heading" className="text-base font-semibold text-slate-900">
          Profiles
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">Every launch starts from a profile and lands where the profile says.</p>
      </div>
      {query.isPending ? (
        <LoadingPanel label="Loading profiles…" />
      ) : !query.data ? (
        <div className="p-4">
          <QueryErrorPanel title="Could not load profiles." error={query.error} onRetry={() => void query.refetch()} />
        </div>
      ) : profiles.length === 0 ? (
        <div className="px-5 py-10 text-center sm:px-6">
          <p className="text-sm font-medium text-slate-900">No profiles yet.</p>
          <p className="mx-auto mt-1 max-w-lg text-sm text-slate-500">A profile names the image a sandbox starts from, its size and where it runs.</p>
        </div>
      ) : (
        <>
          <div className="overflow-x-auto">
            <ProfilesTable profiles={profiles} hosts={canSeeHosts ? hosts : undefined} />
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
              <QueryErrorPanel title="Could not load more profiles." error={query.error} onRetry={() => void query.fetchNextPage()} />
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
