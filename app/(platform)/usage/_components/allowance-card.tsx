"use client";

import { useLocaleFormat } from "@/app/_components/use-locale-format";
import { formatComputeTime } from "@/app/_lib/duration";
import { ui } from "@/app/_lib/ui";
import { QueryState } from "../../_components/query-state";

interface AllowanceCardProps {
  query: {
    isPending: boolean;
    error: unknown;
    refetch: () => Promise<unknown>;
    data: { month: { fromDay: string; seconds: number } } | undefined;
  };
  allowanceSeconds: number;
}

/** This calendar month's managed compute against the plan's monthly allowance. */
export function AllowanceCard({ query, allowanceSeconds }: AllowanceCardProps) {
  const allowanceHours = Math.round(allowanceSeconds / 3600);
  return (
    <section aria-labelledby="usage-month-heading" className={ui.card}>
      <h2 id="usage-month-heading" className="border-b border-slate-200 px-5 py-3.5 text-base font-semibold text-slate-900">
        This month
      </h2>
      <QueryState query={query} failed={!query.data} loadingLabel="Loading this month's usage…" errorTitle="Could not load this month's usage.">
        {query.data ? <MonthMeter used={query.data.month.seconds} fromDay={query.data.month.fromDay} allowanceSeconds={allowanceSeconds} allowanceHours={allowanceHours} /> : null}
      </QueryState>
    </section>
  );
}

function MonthMeter({ used, fromDay, allowanceSeconds, allowanceHours }: { used: number; fromDay: string; allowanceSeconds: number; allowanceHours: number }) {
  const format = useLocaleFormat();
  const share = allowanceSeconds > 0 ? used / allowanceSeconds : 1;
  const percent = Math.min(100, Math.round(share * 100));
  const over = used > allowanceSeconds;
  const label = `${formatComputeTime(used, format.number)} of ${format.number(allowanceHours)} hours`;
  const bar = over ? "bg-red-600" : share >= 0.8 ? "bg-amber-500" : "bg-brand-600";
  return (
    <div className="px-5 py-4 sm:px-6">
      <p className="text-sm text-slate-600">
        <span className="text-2xl font-semibold tracking-tight text-slate-900">{formatComputeTime(used, format.number)}</span>{" "}
        of {format.number(allowanceHours)} hours of managed compute in your plan, since {format.utcDay(fromDay)}.
      </p>
      <div
        role="meter"
        aria-label="Managed compute used this month"
        aria-valuemin={0}
        aria-valuemax={allowanceSeconds}
        aria-valuenow={Math.min(used, allowanceSeconds)}
        aria-valuetext={`${label} (${percent}%)`}
        className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100"
      >
        {/* Width set through the DOM, not a style attribute: the pages' CSP allows no inline style attributes. */}
        <div className={`h-full rounded-full ${bar}`} ref={(element) => void element?.style.setProperty("width", `${percent}%`)} />
      </div>
      <p className="mt-1.5 text-xs text-slate-500">
        {percent}% used. The allowance starts again on the first of each month (UTC).
        {over ? " This month is over the allowance." : null}
      </p>
    </div>
  );
}
