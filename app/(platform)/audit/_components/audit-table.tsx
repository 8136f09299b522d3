import type { TAuditEvent } from "@/prisma-free-schema";
import { formatDateTime } from "@/app/_lib/format";
import { AuditData } from "./audit-data";

const cell = "block px-4 py-1 lg:table-cell lg:py-3 lg:align-top";
const inlineCell = "inline-block px-4 py-1 lg:table-cell lg:py-3 lg:align-top";
const mobileLabel = "mr-2 text-xs font-medium uppercase tracking-wide text-slate-400 lg:hidden";

export function AuditTable({ events }: { events: TAuditEvent[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 lg:table-header-group">
        <tr>
          <th scope="col" className="px-4 py-2.5">Time</th>
          <th scope="col" className="px-4 py-2.5">Event</th>
          <th scope="col" className="px-4 py-2.5">Actor</th>
          <th scope="col" className="px-4 py-2.5">Target</th>
          <th scope="col" className="px-4 py-2.5">Details</th>
        </tr>
      </thead>
      <tbody className="block divide-y divide-slate-100 lg:table-row-group">
        {events.map((event) => (
          <tr key={event.id} className="block py-2 lg:table-row lg:py-0">
            <td className={`${inlineCell} whitespace-nowrap text-slate-600`}>
              <time dateTime={event.at} title={event.at}>
                {formatDateTime(event.at)}
              </time>
            </td>
            <td className={`${inlineCell} pl-0 lg:pl-4`}>
              <span className="inline-flex rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{event.eventType}</span>
            </td>
            <td className={`${cell} break-all text-slate-900 lg:break-normal`}>
              <span className={mobileLabel}>Actor</span>
              {event.actor.label}
            </td>
            <td className={`${cell} break-all text-slate-900 lg:break-normal`}>
              <span className={mobileLabel}>Target</span>
              {event.target.label}
            </td>
            <td className={cell}>
              <AuditData data={event.data} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
