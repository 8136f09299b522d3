"use client";

import type { KeyboardEvent } from "react";
import { MAX_MATCHES } from "./log-search";
import type { LogPreferences } from "./use-log-preferences";

const TOOL = "rounded px-2 py-1 text-xs font-medium text-slate-300 hover:bg-white/10 hover:text-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-40 disabled:hover:bg-transparent";
const TOGGLES: { key: keyof LogPreferences; label: string }[] = [
  { key: "timestamps", label: "Timestamps" },
  { key: "lineNumbers", label: "Line numbers" },
  { key: "wrap", label: "Wrap lines" },
];

interface LogToolbarProps {
  query: string;
  onQuery: (query: string) => void;
  matchCount: number;
  /** The current match, counted from 0; -1 with none. */
  current: number;
  onStep: (step: 1 | -1) => void;
  preferences: LogPreferences;
  onToggle: (key: keyof LogPreferences) => void;
  onCopy: () => void;
  onDownload: () => void;
}

/** Above the log: search with match navigation, how lines show, and the whole run's copy and download. */
export function LogToolbar({ query, onQuery, matchCount, current, onStep, preferences, onToggle, onCopy, onDownload }: LogToolbarProps) {
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      onStep(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      onQuery("");
    }
  }
  const count = matchCount >= MAX_MATCHES ? `${MAX_MATCHES.toLocaleString()}+` : matchCount.toLocaleString();

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-800 bg-slate-900 px-3 py-2 font-sans">
      <div className="flex min-w-0 flex-1 items-center gap-1 sm:max-w-md">
        <input
          type="search"
          value={query}
          onChange={(event) => onQuery(event.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Search the log"
          aria-describedby="log-search-count"
          placeholder="Search the log"
          className="min-w-0 flex-1 rounded-md border-0 bg-slate-800 px-2.5 py-1 text-sm text-white placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-brand-500"
        />
        <span id="log-search-count" aria-live="polite" className="whitespace-nowrap px-1 text-xs text-slate-300">
          {query ? (matchCount === 0 ? "No matches" : `${(current + 1).toLocaleString()} of ${count}`) : ""}
        </span>
        <button type="button" onClick={() => onStep(-1)} disabled={matchCount === 0} aria-label="Previous match" title="Previous match (Shift+Enter)" className={TOOL}>
          ↑
        </button>
        <button type="button" onClick={() => onStep(1)} disabled={matchCount === 0} aria-label="Next match" title="Next match (Enter)" className={TOOL}>
          ↓
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-1">
        {TOGGLES.map(({ key, label }) => (
          <button key={key} type="button" aria-pressed={preferences[key]} onClick={() => onToggle(key)} className={`${TOOL} ${preferences[key] ? "bg-white/15 text-white" : ""}`}>
            {label}
          </button>
        ))}
        <span aria-hidden="true" className="mx-1 h-4 w-px bg-slate-700" />
        <button type="button" onClick={onCopy} className={TOOL}>
          Copy log
        </button>
        <button type="button" onClick={onDownload} className={TOOL}>
          Download log
        </button>
      </div>
    </div>
  );
}
