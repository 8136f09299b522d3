import type { StreamState } from "./use-run-events";

const LABELS: Record<StreamState, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };
const DOTS: Record<StreamState, string> = {
  connecting: "bg-slate-400",
  live: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
};

/** Whether the event stream is connected; announced politely when it drops and comes back. */
export function LiveIndicator({ state }: { state: StreamState }) {
  return (
    // Named as it reads: a status region takes no name from its content.
    <p role="status" aria-label={LABELS[state]} className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs font-medium text-slate-600">
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${DOTS[state]}`} />
      {LABELS[state]}
    </p>
  );
}
