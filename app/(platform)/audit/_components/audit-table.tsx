import type { TAuditEvent } from "@/prisma-free-schema";
import { formatDateTime } from "@/app/_lib/format";
import { formatAuditData } from "./format-audit-data";

const cell = "block px-4 py-1 md:table-cell md:py-3 md:align-top";
const mobileLabel = "mr-2 text-xs font-medium uppercase tracking-wide text-slate-400 md:hidden";

export function AuditTable({ events }: { events: TAuditEvent[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 md:table-header-group">
        <tr>
          <th scope="col" className="px-4 py-2.5">Time</th>
          <th scope="col" className="px-4 py-2.5">Event</th>
          <th scope="col" className="px-4 py-2.5">Actor</th>
          <th scope="col" className="px-4 py-2.5">Target</th>
          <th scope="col" className="px-4 py-2.5">Details</th>
        </tr>
      </thead>
      <tbody className="block divide-y divide-slate-100 md:table-row-group">
        {events.map((event) => (
          <tr key={event.id} className="block py-2 md:table-row md:py-0">
            <td className={`${cell} whitespace-nowrap text-slate-600`}>
              <time dateTime={event.at} title={event.at}>
                {formatDateTime(event.at)}
              </time>
            </td>
            <td className={cell}>
              <span className="inline-flex rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{event.eventType}</span>
            </td>
            <td className={`${cell} break-all text-slate-900 md:break-normal`}>
              <span className={mobileLabel}>Actor</span>
              {event.actor.label}
            </td>
            <td className={`${cell} break-all text-slate-900 md:break-normal`}>
              <span className={mobileLabel}>Target</span>
              {event.target.label}
            </td>
            <td className={cell}>
              <span className="flex flex-wrap gap-x-3 gap-y-1 font-mono text-xs text-slate-600">
                {formatAuditData(event.data).map((pair) => (
                  <span key={pair} className="break-all">
                    {pair}
                  </span>
                ))}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
