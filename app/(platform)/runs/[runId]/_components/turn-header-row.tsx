"use client";

import { LocalTime } from "@/app/_components/local-time";
import { formatDuration } from "@/app/_lib/duration";
import { TurnOutcomeBadge } from "../../_components/turn-outcome-badge";
import type { TurnView } from "./turn-view";

const ACTION = "rounded px-2 py-1 text-xs font-medium text-slate-300 hover:bg-white/10 hover:text-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500";

interface TurnHeaderRowProps {
  view: TurnView;
  expanded: boolean;
  onToggle: () => void;
  onCopy: () => void;
  onDownload: () => void;
}

/** A turn's row in the log: its number, outcome and times; it folds the turn's output away. */
export function TurnHeaderRow({ view, expanded, onToggle, onCopy, onDownload }: TurnHeaderRowProps) {
  const { turn, startedAt, durationMs, outcome, running } = view;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-y border-slate-800 bg-slate-900 px-2 py-1.5 font-sans">
      <h2 className="text-sm font-semibold text-white">
        <button type="button" aria-expanded={expanded} onClick={onToggle} className={`${ACTION} inline-flex items-center gap-1.5 text-sm text-white`}>
          <svg aria-hidden="true" viewBox="0 0 20 20" className={`h-4 w-4 transition-transform ${expanded ? "rotate-90" : ""}`} fill="currentColor">
            <path d="M7.2 4.2a.75.75 0 0 1 1.06 0l5.25 5.27a.75.75 0 0 1 0 1.06L8.26 15.8a.75.75 0 1 1-1.06-1.06L11.92 10 7.2 5.26a.75.75 0 0 1 0-1.06Z" />
          </svg>
          Turn {turn}
        </button>
      </h2>
      {running || outcome ? <TurnOutcomeBadge outcome={outcome} /> : null}
      <p className="text-xs text-slate-400">
        {startedAt ? (
          <>
            Started <LocalTime iso={startedAt} />
          </>
        ) : null}
        {durationMs !== null ? <>{startedAt ? " · " : ""}Took {formatDuration(durationMs)}</> : null}
      </p>
      <span className="ml-auto flex gap-1">
        <button type="button" onClick={onCopy} aria-label={`Copy turn ${turn} output`} className={ACTION}>
          Copy
        </button>
        <button type="button" onClick={onDownload} aria-label={`Download turn ${turn} output`} className={ACTION}>
          Download
        </button>
      </span>
    </div>
  );
}
