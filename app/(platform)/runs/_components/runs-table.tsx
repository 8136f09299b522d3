import Link from "next/link";
import type { TRunSummary } from "@/prisma-free-schema";
import { formatDateTime } from "@/app/_lib/format";
import { ui } from "@/app/_lib/ui";
import { TableShell } from "../../_components/table-shell";
import { summaryDuration } from "./run-duration";
import { RunPlacement } from "./run-placement";
import { RunStatusBadge } from "./run-status-badge";

const HEADINGS = ["Profile", "Status", "Runs on", "Started by", "Started", "Duration", "Turns"] as const;
const cell = "block px-5 py-1 sm:px-6 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const mobileLabel = "mr-2 text-xs font-medium uppercase tracking-wide text-slate-400 lg:hidden";

export function RunsTable({ runs }: { runs: readonly TRunSummary[] }) {
  return (
    <TableShell caption="Runs, newest first" headings={HEADINGS}>
      {runs.map((run) => (
        <tr key={run.id} className="block py-3 lg:table-row lg:py-0">
          <th scope="row" className={`${cell} font-medium`}>
            <Link href={`/runs/${run.id}`} className={`${ui.link} break-words`}>
              {run.profileName}
              {/* Several runs of one profile share its name: the time tells their links apart. */}
              <span className="sr-only">, started {formatDateTime(run.createdAt)}</span>
            </Link>
          </th>
          <td className={cell}>
            <span className={mobileLabel}>Status</span>
            <RunStatusBadge status={run.status} />
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
            <span className={mobileLabel}>Started</span>
            <time dateTime={run.createdAt}>{formatDateTime(run.createdAt)}</time>
          </td>
          <td className={`${cell} whitespace-nowrap text-slate-700`}>
            <span className={mobileLabel}>Duration</span>
            {summaryDuration(run)}
          </td>
          <td className={`${cell} text-slate-700`}>
            <span className={mobileLabel}>Turns</span>
            {run.turnCount}
          </td>
        </tr>
      ))}
    </TableShell>
  );
}
