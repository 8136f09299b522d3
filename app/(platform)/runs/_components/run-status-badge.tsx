import type { TRunStatus } from "@/prisma-free-schema";

const LABELS: Record<TRunStatus, string> = {
  starting: "Starting",
  running: "Running",
  idle: "Idle",
  failed: "Failed",
  ended: "Ended",
};

const STYLES: Record<TRunStatus, string> = {
  starting: "bg-sky-50 text-sky-800 ring-sky-200",
  running: "bg-brand-50 text-brand-700 ring-brand-100",
  idle: "bg-slate-50 text-slate-700 ring-slate-200",
  failed: "bg-red-50 text-red-700 ring-red-200",
  ended: "bg-slate-100 text-slate-600 ring-slate-200",
};

const DOTS: Record<TRunStatus, string> = {
  starting: "bg-sky-500 animate-pulse",
  running: "bg-brand-600 animate-pulse",
  idle: "bg-slate-400",
  failed: "bg-red-500",
  ended: "bg-slate-400",
};

export function RunStatusBadge({ status }: { status: TRunStatus }) {
  return (
    <span className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${DOTS[status]}`} />
      {LABELS[status]}
    </span>
  );
}

/** The statuses in words, for the run page's tab title. */
export { LABELS as RUN_STATUS_LABELS };
