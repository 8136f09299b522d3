import { LocalTime } from "@/app/_components/local-time";
import Link from "next/link";
import type { TAuditEvent, TAuditTargetKind } from "@/prisma-free-schema";
import { button, ui } from "@/app/_lib/ui";
import { AuditData } from "./audit-data";
import { AuditSentence } from "./audit-sentence";
import { EVENT_TYPE_LABELS, TARGET_KIND_LABELS, targetHref } from "./audit-words";
import { type AuditNames, describeAuditEvent } from "./describe-audit-event";

const cell = "block px-4 py-1 lg:table-cell lg:py-3 lg:align-top";
const inlineCell = "inline-block px-4 py-1 lg:table-cell lg:py-3 lg:align-top";
const { mobileLabel } = ui;

/** Kinds whose target is gone once the event happened: their name is not linked. */
const GONE = new Set<TAuditEvent["eventType"]>(["host.deleted", "profile.deleted", "member.removed", "member.invite_revoked", "api_token.revoked"]);

interface AuditTableProps {
  events: TAuditEvent[];
  names: AuditNames;
  /** Narrows the trail to one row's target. */
  onOnlyTarget: (kind: TAuditTargetKind, id: string) => void;
  /** The target the trail is already narrowed to, whose rows need no such button. */
  narrowedTo: string | undefined;
}

export function AuditTable({ events, names, onOnlyTarget, narrowedTo }: AuditTableProps) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Audit events, newest first</caption>
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
        {events.map((event) => {
          const href = GONE.has(event.eventType) ? undefined : targetHref(event.target.kind, event.target.id);
          return (
            <tr key={event.id} className="block py-2 lg:table-row lg:py-0">
              <td className={`${inlineCell} whitespace-nowrap text-slate-600`}>
                <LocalTime iso={event.at} />
              </td>
              <td className={`${inlineCell} pl-0 lg:pl-4`}>
                <span className="inline-flex whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-800" title={event.eventType}>
                  {EVENT_TYPE_LABELS[event.eventType]}
                </span>
              </td>
              <td className={`${cell} break-all text-slate-900 lg:break-normal`}>
                <span className={mobileLabel}>Actor</span>
                {event.actor.label}
              </td>
              <td className={`${cell} text-slate-900`}>
                <span className={mobileLabel}>Target</span>
                <span className="break-all lg:break-normal">
                  {href ? (
                    <Link href={href} className={ui.link}>
                      {event.target.label}
                    </Link>
                  ) : (
                    event.target.label
                  )}
                </span>
                <span className="block text-xs text-slate-500 max-lg:inline max-lg:before:content-['_·_']">{TARGET_KIND_LABELS[event.target.kind]}</span>
                {narrowedTo === event.target.id ? null : (
                  <button
                    type="button"
                    onClick={() => onOnlyTarget(event.target.kind, event.target.id)}
                    className={`${button("secondary", "sm")} mt-1 max-lg:ml-2`}
                    aria-label={`Only events about ${event.target.label}`}
                  >
                    Only this
                  </button>
                )}
              </td>
              <td className={`${cell} lg:max-w-md`}>
                <AuditSentence parts={describeAuditEvent(event, names)} />
                {Object.keys(event.data).length > 0 ? (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-slate-500">Recorded facts</summary>
                    <div className="mt-1">
                      <AuditData data={event.data} />
                    </div>
                  </details>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
