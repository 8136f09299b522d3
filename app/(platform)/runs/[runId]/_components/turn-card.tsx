import type { TRunTurn, TTurnOutcome } from "@/prisma-free-schema";
import { EMPTY_TERMINAL } from "@/app/_lib/terminal-buffer";
import { formatDuration } from "@/app/_lib/duration";
import { formatDateTime } from "@/app/_lib/format";
import { ui } from "@/app/_lib/ui";
import { TurnOutcomeBadge } from "../../_components/turn-outcome-badge";
import type { FileChange, TurnLog } from "./run-log";
import { TurnOutput } from "./turn-output";

const CHANGE_STYLES: Record<FileChange, string> = {
  created: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  modified: "bg-sky-50 text-sky-800 ring-sky-200",
  deleted: "bg-red-50 text-red-700 ring-red-200",
};

const ENDED: Record<TTurnOutcome, string> = { succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled" };

interface TurnCardProps {
  turn: number;
  /** The turn as the run document has it; missing for a moment when its events come first. */
  record: TRunTurn | undefined;
  log: TurnLog | undefined;
  /** The run can no longer go on (failed or ended): a turn without an outcome is not "running". */
  runStopped: boolean;
}

export function TurnCard({ turn, record, log, runStopped }: TurnCardProps) {
  const headingId = `turn-${turn}-heading`;
  const outcome = log?.ended?.outcome ?? record?.outcome ?? null;
  const running = !outcome && !record?.endedAt && !runStopped;
  const durationMs = log?.ended?.durationMs ?? (record?.endedAt ? Date.parse(record.endedAt) - Date.parse(record.startedAt) : null);
  const input = record?.input ?? log?.input ?? null;

  return (
    <article aria-labelledby={headingId} className={ui.card}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 px-5 py-3.5 sm:px-6">
        <h3 id={headingId} className="text-base font-semibold text-slate-900">
          Turn {turn}
        </h3>
        {running || outcome ? <TurnOutcomeBadge outcome={outcome} /> : null}
        <p className="text-sm text-slate-500 sm:ml-auto">
          {record ? (
            <>
              Started <time dateTime={record.startedAt}>{formatDateTime(record.startedAt)}</time>
            </>
          ) : null}
          {durationMs !== null ? <>{record ? " · " : ""}Took {formatDuration(durationMs)}</> : null}
        </p>
      </header>
      <div className="space-y-4 px-5 py-4 sm:px-6">
        {input !== null ? (
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Input</p>
            <pre className="mt-1.5 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
              {input}
            </pre>
          </div>
        ) : null}

        <TurnOutput turn={turn} terminal={log?.terminal ?? EMPTY_TERMINAL} running={running} />

        {log && log.files.length > 0 ? (
          <div>
            <p id={`turn-${turn}-files`} className="text-xs font-medium uppercase tracking-wide text-slate-500">
              Files changed
            </p>
            <ul aria-labelledby={`turn-${turn}-files`} className="mt-1.5 space-y-1">
              {log.files.map((file) => (
                <li key={file.path} className="flex items-center gap-2 text-sm">
                  <span className={`inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${CHANGE_STYLES[file.change]}`}>
                    {file.change}
                  </span>
                  <code className="break-all font-mono text-xs text-slate-800">{file.path}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        {log && log.agent.length > 0 ? (
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Agent messages</p>
            <ol className="mt-1.5 space-y-2">
              {log.agent.map((message) => (
                <li key={message.seq}>
                  <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                    {JSON.stringify(message.payload, null, 2)}
                  </pre>
                </li>
              ))}
            </ol>
          </div>
        ) : null}

        {log?.exited || log?.ended ? (
          <ul className="space-y-0.5 text-sm text-slate-700">
            {log.exited ? (
              <li>
                Process exited
                {log.exited.exitCode !== null ? (
                  <>
                    {" "}
                    with code <code className="font-mono">{log.exited.exitCode}</code>
                  </>
                ) : null}
                {log.exited.signal ? (
                  <>
                    {" "}
                    on signal <code className="font-mono">{log.exited.signal}</code>
                  </>
                ) : null}
                .
              </li>
            ) : null}
            {log.ended ? (
              <li className="font-medium text-slate-900">
                {ENDED[log.ended.outcome]} after {formatDuration(log.ended.durationMs)}
                {log.ended.exitCode !== null && log.ended.outcome !== "succeeded" ? ` (exit code ${log.ended.exitCode})` : ""}.
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
    </article>
  );
}
