"use client";

import { useQuery } from "@tanstack/react-query";
import type { TResolution } from "@/prisma-free-schema";
import { HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { button, ui } from "@/app/_lib/ui";

function landing(resolution: Extract<TResolution, { ok: true }>): string {
  if (!resolution.host) return "Launches land on managed compute.";
  const via = resolution.viaDefaultDockerHost ? " via your default Docker host" : "";
  return `Launches land on ${resolution.host.name} (${HOST_KIND_LABELS[resolution.host.kind]})${via}.`;
}

/** The launch resolver's answer for this viewer, ahead of any launch. */
export function ResolutionPanel({ workspaceId, profileId }: { workspaceId: string; profileId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.profiles.resolve.queryOptions({ workspaceId, profileId }));

  return (
    <section aria-labelledby="resolution-heading" className={`${ui.card} p-5 sm:p-6`}>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h2 id="resolution-heading" className="text-base font-semibold text-slate-900">
            Where a launch would land right now
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">For you, with the hosts as they are at this moment.</p>
        </div>
        {query.data ? (
          <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching} className={`${button("secondary", "sm")} self-start`}>
            {query.isFetching ? "Checking…" : "Check again"}
          </button>
        ) : null}
      </div>
      <div className="mt-4">
        {query.isPending ? (
          <LoadingPanel label="Checking where a launch would land…" />
        ) : !query.data ? (
          <QueryErrorPanel title="Could not check where a launch would land." error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.ok ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-900">
            {landing(query.data)}
          </p>
        ) : (
          <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            <p className="font-semibold">A launch would be refused</p>
            <p className="mt-1">{query.data.message}</p>
          </div>
        )}
      </div>
    </section>
  );
}
