"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { THostView } from "@/prisma-free-schema/host";
import type { THostUsage } from "@/prisma-free-schema/host-usage";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";
import { LastSeen } from "../../_components/last-seen";
import { LIVE_REFETCH_MS } from "../../_components/live-refetch";
import { hostInput } from "./host-queries";

const COUNTS_NOTE: Record<THostUsage["warmCounts"], string | null> = {
  live: null,
  "no-pools": null,
  "operator-offline": "The operator is not connected, so nobody can say how many warm containers are ready.",
  unavailable: "This host’s operator does not report how many warm containers are ready: it is a version older than this page.",
};

/**
 * The profiles that use this host, linked, and the warm pools they keep here with how many warm
 * containers are ready: polled like the host itself, so a pool filling up shows as it happens.
 * The counts are the operator's last check-in's (every 15 s, sooner when a pool changes), and
 * the page says how old they are.
 */
export function HostUsageSection({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const usage = useQuery(trpc.hosts.usage.queryOptions(hostInput(workspace.id, host.id), { refetchInterval: LIVE_REFETCH_MS }));

  return (
    <section aria-labelledby="host-usage-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="host-usage-heading" className="text-base font-semibold text-slate-900">
        Profiles on this host
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {host.kind === "docker"
          ? "Profiles set to this host, and profiles set to “My default Docker host”, which land here for whoever made this host their default."
          : "Profiles set to run on this host."}
      </p>
      {usage.isPending ? (
        <p role="status" className="mt-3 text-sm text-slate-600">
          Loading…
        </p>
      ) : !usage.data ? (
        <div className="mt-3">
          <QueryErrorPanel title="Could not load the profiles on this host." error={usage.error} onRetry={() => void usage.refetch()} />
        </div>
      ) : usage.data.profiles.length === 0 ? (
        <p className="mt-3 text-sm text-slate-700">
          No profile uses this host yet. Choose it under “Where it runs” on a{" "}
          <Link href="/profiles" className={ui.link}>
            profile
          </Link>
          .
        </p>
      ) : (
        <>
          <ul aria-label="Profiles on this host" className="mt-3 divide-y divide-slate-100">
            {usage.data.profiles.map((profile) => (
              <li key={profile.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2.5">
                <div className="min-w-0">
                  <Link href={`/profiles/${profile.id}`} className={`${ui.link} break-words`}>
                    {profile.name}
                  </Link>
                  <p className="text-xs text-slate-500">{profile.via === "host" ? "Set to this host" : "Via “My default Docker host”"}</p>
                </div>
                {profile.warmPool ? (
                  <p className="text-sm text-slate-700" data-testid="warm-pool-count">
                    <span className="font-medium tabular-nums">{profile.warmPool.ready ?? "?"}</span> of{" "}
                    <span className="tabular-nums">{profile.warmPool.wanted}</span> warm {profile.warmPool.wanted === 1 ? "container" : "containers"} ready
                  </p>
                ) : host.kind === "docker" ? (
                  <p className="text-xs text-slate-500">No warm pool</p>
                ) : null}
              </li>
            ))}
          </ul>
          {COUNTS_NOTE[usage.data.warmCounts] ? <p className="mt-2 text-xs text-slate-500">{COUNTS_NOTE[usage.data.warmCounts]}</p> : null}
          {usage.data.warmCounts === "live" && usage.data.countsAt ? (
            <p className="mt-2 text-xs text-slate-500" data-testid="warm-counts-as-of">
              Ready counts as the operator last reported them, <LastSeen at={usage.data.countsAt} />.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
