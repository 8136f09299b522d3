"use client";

import type { ReactNode } from "react";
import { formatDuration } from "@/app/_lib/duration";
import type { FileChange } from "./run-log";
import type { TurnView } from "./turn-view";

const CHANGE_STYLES: Record<FileChange, string> = {
  created: "bg-emerald-950 text-emerald-300 ring-emerald-800",
  modified: "bg-sky-950 text-sky-300 ring-sky-800",
  deleted: "bg-red-950 text-red-300 ring-red-800",
};

/** How many of a failed turn's last lines are repeated beside its exit code. */
const LAST_LINES = 5;

function after(durationMs: number | null): string {
  return durationMs === null ? "" : ` after ${formatDuration(durationMs)}`;
}

function lastLines(view: TurnView): string[] {
  const lines: string[] = [];
  for (let index = view.lines.length - 1; index >= 0 && lines.length < LAST_LINES; index -= 1) {
    const text = view.lines[index]!.text;
    if (text.trim()) lines.unshift(text);
  }
  return lines;
}

/** How the turn ended, in words, where the turn is: the reason it could not start, its exit code and last lines, a cancel. */
function Verdict({ view }: { view: TurnView }) {
  const { outcome, exitCode, signal, durationMs } = view;
  if (outcome === "succeeded") return <p className="text-emerald-300">Succeeded{after(durationMs)}.</p>;
  if (outcome === "cancelled") return <p className="text-amber-300">Cancelled{after(durationMs)}: the process was stopped on request.</p>;
  if (outcome !== "failed" && exitCode === null) return null;
  let sentence: string;
  if (exitCode !== null && exitCode !== 0) sentence = `Exited with code ${exitCode}${after(durationMs)}.`;
  else if (signal) sentence = `Stopped by signal ${signal}${after(durationMs)}.`;
  else sentence = `Failed${after(durationMs)}.`;
  const last = exitCode !== null && exitCode !== 0 ? lastLines(view) : [];
  return (
    <div className="rounded-md border border-red-900 bg-red-950/60 px-3 py-2">
      <p className="font-semibold text-red-200">{sentence}</p>
      {last.length > 0 ? (
        <>
          <p className="mt-1 text-red-300">Its last lines:</p>
          <pre className="mt-1 whitespace-pre-wrap break-words font-mono text-red-100">{last.join("\n")}</pre>
        </>
      ) : null}
    </div>
  );
}

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <p className="font-sans text-xs font-medium uppercase tracking-wide text-slate-400">{label}</p>
      <div className="mt-1">{children}</div>
    </div>
  );
}

export function TurnOutcomeRow({ view }: { view: TurnView }) {
  return (
    <div className="space-y-3 px-3 py-2 font-sans text-sm text-slate-200">
      {view.failure ? (
        <div className="rounded-md border border-red-900 bg-red-950/60 px-3 py-2">
          <p className="font-semibold text-red-200">This turn could not start</p>
          <p className="mt-1 text-red-100">{view.failure}</p>
        </div>
      ) : null}
      <Verdict view={view} />
      {view.files.length > 0 ? (
        <Labelled label="Files changed">
          <ul className="space-y-1">
            {view.files.map((file) => (
              <li key={file.path} className="flex items-center gap-2">
                <span className={`inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${CHANGE_STYLES[file.change]}`}>{file.change}</span>
                <code className="break-all font-mono text-xs">{file.path}</code>
              </li>
            ))}
          </ul>
        </Labelled>
      ) : null}
      {view.agent.length > 0 ? (
        <Labelled label="Agent messages">
          <ol className="space-y-2">
            {view.agent.map((message) => (
              <li key={message.seq}>
                <pre className="overflow-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs">{JSON.stringify(message.payload, null, 2)}</pre>
              </li>
            ))}
          </ol>
        </Labelled>
      ) : null}
    </div>
  );
}
