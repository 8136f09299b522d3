"use client";

import { AUDIT_EVENT_TYPES, AUDIT_TARGET_KINDS } from "@/prisma-free-schema/vocabulary";
import { button, ui } from "@/app/_lib/ui";
import { EVENT_TYPE_LABELS, TARGET_KIND_LABELS } from "./audit-words";
import type { AuditUrlFilter } from "./audit-url-filter";
import type { AuditActorOption } from "./use-audit-names";

interface AuditFilterBarProps {
  filter: AuditUrlFilter;
  onChange: (change: Partial<AuditUrlFilter>) => void;
  onClear: () => void;
  /** The people to pick from, and anyone else the rows named. */
  actors: AuditActorOption[];
  /** The one target the trail is narrowed to (picked from a row), by name. */
  targetLabel: string | undefined;
  rangeProblem: string | undefined;
}

const field = "flex min-w-0 flex-col gap-1";
const label = "text-xs font-medium text-slate-600";

/** Who, what, which kind of change and when: each choice goes into the page's URL. */
export function AuditFilterBar({ filter, onChange, onClear, actors, targetLabel, rangeProblem }: AuditFilterBarProps) {
  const any = Object.values(filter).some(Boolean);
  return (
    <div role="search" aria-label="Filter the audit trail" className="border-b border-slate-200 px-4 py-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <div className={field}>
          <label htmlFor="audit-event-type" className={label}>
            Event type
          </label>
          <select id="audit-event-type" value={filter.type ?? ""} onChange={(event) => onChange({ type: AUDIT_EVENT_TYPES.find((type) => type === event.target.value) })} className={ui.input}>
            <option value="">All events</option>
            {AUDIT_EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {EVENT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </div>
        <div className={field}>
          <label htmlFor="audit-actor" className={label}>
            Person
          </label>
          <select id="audit-actor" value={filter.actor ?? ""} onChange={(event) => onChange({ actor: event.target.value || undefined })} className={ui.input}>
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.label}
              </option>
            ))}
          </select>
        </div>
        <div className={field}>
          <label htmlFor="audit-target-kind" className={label}>
            Target
          </label>
          <select
            id="audit-target-kind"
            value={filter.targetKind ?? ""}
            // A different kind of target cannot be the one picked from a row any more.
            onChange={(event) => onChange({ targetKind: AUDIT_TARGET_KINDS.find((kind) => kind === event.target.value), target: undefined })}
            className={ui.input}
          >
            <option value="">Anything</option>
            {AUDIT_TARGET_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {TARGET_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className={field}>
          <label htmlFor="audit-from" className={label}>
            From
          </label>
          <input id="audit-from" type="date" value={filter.from ?? ""} max={filter.to} onChange={(event) => onChange({ from: event.target.value || undefined })} className={ui.input} />
        </div>
        <div className={field}>
          <label htmlFor="audit-to" className={label}>
            To
          </label>
          <input id="audit-to" type="date" value={filter.to ?? ""} min={filter.from} onChange={(event) => onChange({ to: event.target.value || undefined })} className={ui.input} />
        </div>
      </div>
      {filter.target || any ? (
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          {filter.target ? (
            <span className="inline-flex items-center gap-2 rounded-full bg-slate-100 py-0.5 pl-3 pr-1 text-slate-800">
              Only {targetLabel ?? "one target"}
              <button type="button" onClick={() => onChange({ target: undefined })} className={button("secondary", "sm")} aria-label={`Show every ${filter.targetKind ? TARGET_KIND_LABELS[filter.targetKind].toLowerCase() : "target"}`}>
                ×
              </button>
            </span>
          ) : null}
          {any ? (
            <button type="button" onClick={onClear} className={button("secondary", "sm")}>
              Clear filters
            </button>
          ) : null}
        </div>
      ) : null}
      {rangeProblem ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {rangeProblem}
        </p>
      ) : null}
    </div>
  );
}
