import { LocalTime } from "@/app/_components/local-time";
import Link from "next/link";
import type { TRunSummary } from "@/prisma-free-schema";
import { ui } from "@/app/_lib/ui";
import { TableShell } from "../../_components/table-shell";
import { LastTurnOutcome } from "./last-turn-outcome";
import { LiveRunDuration } from "./live-run-duration";
import { RunPlacement } from "./run-placement";
import { RunStatusBadge } from "./run-status-badge";

const HEADINGS = ["Run", "Status", "Last turn", "Runs on", "Started by", "Duration"] as const;
const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const { mobileLabel } = ui;

/** One line of the first turn, however it was typed; the cell truncates it and the title holds it whole. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function RunsTable({ runs }: { runs: readonly TRunSummary[] }) {
  return (
    <TableShell caption="Runs, newest first" headings={HEADINGS}>
      {runs.map((run) => {
        const snippet = run.firstInput ? oneLine(run.firstInput) : null;
        return (
          <tr key={run.id} className="block py-3 lg:table-row lg:py-0">
            <th scope="row" className={`${cell} font-normal lg:max-w-0 lg:w-[34%]`}>
              <Link href={`/runs/${run.id}`} title={run.firstInput ?? undefined} className={`${ui.link} block truncate font-mono text-[13px]`}>
                {snippet ?? run.profileName}
              </Link>
              <span className="mt-0.5 block truncate text-xs text-slate-500">
                {run.profileName} · <LocalTime iso={run.createdAt} />
              </span>
            </th>
            <td className={cell}>
              <span className={mobileLabel}>Status</span>
              <RunStatusBadge status={run.status} />
            </td>
            <td className={cell}>
              <span className={mobileLabel}>Last turn</span>
              <LastTurnOutcome run={run} />
            </td>
            <td className={`${cell} text-slate-700`}>
              <span className={mobileLabel}>Runs on</span>
              <RunPlacement placement={run.placement} />
            </td>
            <td className={`${cell} text-slate-700`}>
              <span className={mobileLabel}>Started by</span>
              <span className="break-all">{run.startedBy.email}</span>
            </td>
            <td className={`${cell} whitespace-nowrap text-slate-700`}>
              <span className={mobileLabel}>Duration</span>
              <LiveRunDuration run={run} />
            </td>
          </tr>
        );
      })}
    </TableShell>
  );
}
