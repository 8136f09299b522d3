"use client";

import { useQuery } from "@tanstack/react-query";
import { useLocaleFormat } from "@/app/_components/use-locale-format";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ListCard } from "../../_components/list-card";
import { EmptyListMessage, QueryState } from "../../_components/query-state";
import { useLiveWorkspace } from "../../_components/use-live-workspace";
import { AllowanceCard } from "./allowance-card";
import { DailyUsageTable, ProfileUsageTable } from "./usage-tables";
import { USAGE_WINDOW_DAYS } from "./usage-window";

/** Usage rows move as sandboxes are metered; a minute is fresh enough for a page about days. */
const USAGE_REFETCH_MS = 60_000;

export function UsageOverview() {
  const trpc = useTRPC();
  const workspace = useLiveWorkspace();
  const format = useLocaleFormat();
  const query = useQuery(trpc.usage.list.queryOptions({ workspaceId: workspace.id, days: USAGE_WINDOW_DAYS }, { refetchInterval: USAGE_REFETCH_MS }));
  const report = query.data;
  const empty = report?.days.length === 0;
  const windowLabel = report ? `${format.utcDay(report.fromDay)} to ${format.utcDay(report.toDay)} (UTC days).` : undefined;

  return (
    <div className="space-y-6">
      <AllowanceCard query={query} allowanceSeconds={workspace.plan.managedComputeSecondsPerMonth} />
      <p className="text-sm text-slate-600">
        Only managed compute is metered: the time a sandbox runs on our machines, counted per second. Runs on your own Kubernetes or Local Docker hosts are never metered and
        never count against the allowance.
      </p>
      <ListCard headingId="usage-by-profile-heading" title={`By profile, last ${USAGE_WINDOW_DAYS} days`} description={windowLabel}>
        <QueryState query={query} failed={!report} loadingLabel="Loading usage…" errorTitle="Could not load usage." isEmpty={empty} empty={<NoUsage />}>
          {report ? <ProfileUsageTable profiles={report.profiles} totalSeconds={report.windowSeconds} /> : null}
        </QueryState>
      </ListCard>
      <ListCard headingId="usage-by-day-heading" title={`By day, last ${USAGE_WINDOW_DAYS} days`} description="Each day's profiles, then the day's total. Days without managed compute are left out.">
        <QueryState query={query} failed={!report} loadingLabel="Loading usage…" errorTitle="Could not load usage." isEmpty={empty} empty={<NoUsage />}>
          {report ? <DailyUsageTable days={report.days} /> : null}
        </QueryState>
      </ListCard>
    </div>
  );
}

function NoUsage() {
  return (
    <EmptyListMessage title={`No managed compute in the last ${USAGE_WINDOW_DAYS} days.`}>
      Runs on profiles that use managed compute show here a few minutes after their sandboxes start.
    </EmptyListMessage>
  );
}
