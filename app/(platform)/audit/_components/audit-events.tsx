"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AUDIT_EVENT_TYPES, type TAuditEventType } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ui } from "@/app/_lib/ui";
import { InfiniteList } from "../../_components/infinite-list";
import { AuditTable } from "./audit-table";

const PAGE_SIZE = 50;

function isEventType(value: string): value is TAuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

export function AuditEvents({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const [eventType, setEventType] = useState<TAuditEventType | undefined>();
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ workspaceId, eventType, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.cursor }),
  );

  return (
    <section aria-label="Audit events" className={ui.card}>
      <div className="flex flex-col gap-2 border-b border-slate-200 px-4 py-3 sm:flex-row sm:items-center">
        <label htmlFor="audit-event-type" className="text-sm font-medium text-slate-700">
          Event type
        </label>
        <select
          id="audit-event-type"
          value={eventType ?? ""}
          onChange={(event) => setEventType(isEventType(event.target.value) ? event.target.value : undefined)}
          className={`${ui.input} sm:w-64`}
        >
          <option value="">All events</option>
          {AUDIT_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>

      <InfiniteList
        query={query}
        messages={{ loading: "Loading audit events…", failed: "Could not load the audit trail.", failedMore: "Could not load more events." }}
        empty={
          <p className="px-4 py-10 text-center text-sm text-slate-500">
            {eventType ? `No ${eventType} events yet.` : "No audit events yet. Changes to this workspace will be listed here."}
          </p>
        }
        end={<p className="text-sm text-slate-500">End of the audit trail.</p>}
      >
        {(events) => <AuditTable events={events} />}
      </InfiniteList>
    </section>
  );
}
