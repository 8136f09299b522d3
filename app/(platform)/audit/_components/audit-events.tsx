"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import type { TAuditTargetKind } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ui } from "@/app/_lib/ui";
import { InfiniteList } from "../../_components/infinite-list";
import { AuditFilterBar } from "./audit-filter-bar";
import { auditListInput } from "./audit-queries";
import { AuditTable } from "./audit-table";
import { type AuditUrlFilter, filterFromParams, paramsFromFilter, rangeProblem } from "./audit-url-filter";
import { useAuditNames } from "./use-audit-names";

/** The trail, narrowed by the filters in the page's URL, so a reload or a shared link shows the same rows. */
export function AuditEvents({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filter = filterFromParams(new URLSearchParams(searchParams.toString()));
  const problem = rangeProblem(filter);
  const { names, people } = useAuditNames();
  const query = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(auditListInput(workspaceId, filter), { getNextPageParam: (page) => page.cursor }),
    enabled: !problem,
  });

  function navigate(next: AuditUrlFilter) {
    const params = paramsFromFilter(next).toString();
    // The browser's own history call: Next.js updates useSearchParams without asking the server to
    // render the page again (its prefetch of the old filter's rows would hold the old rows on screen).
    window.history.replaceState(null, "", params ? `${pathname}?${params}` : pathname);
  }
  const change = (part: Partial<AuditUrlFilter>) => navigate({ ...filter, ...part });
  const onlyTarget = (targetKind: TAuditTargetKind, target: string) => navigate({ ...filter, targetKind, target });

  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  // Anyone the rows name can be picked too (a token, the idle policy, someone who has left).
  const actors = [...people];
  for (const row of rows) if (!actors.some((actor) => actor.id === row.actor.id)) actors.push({ id: row.actor.id, label: row.actor.label });
  if (filter.actor && !actors.some((actor) => actor.id === filter.actor)) actors.push({ id: filter.actor, label: "The person picked" });
  const targetLabel = filter.target ? rows.find((row) => row.target.id === filter.target)?.target.label : undefined;

  return (
    <section aria-label="Audit events" className={ui.card}>
      <AuditFilterBar filter={filter} onChange={change} onClear={() => navigate({})} actors={actors} targetLabel={targetLabel} rangeProblem={problem} />
      {problem ? null : (
        <InfiniteList
          query={query}
          messages={{ loading: "Loading audit events…", failed: "Could not load the audit trail.", failedMore: "Could not load more events." }}
          empty={
            <p className="px-4 py-10 text-center text-sm text-slate-500">
              {Object.values(filter).some(Boolean) ? "No events match these filters." : "No audit events yet. Changes to this workspace will be listed here."}
            </p>
          }
          end={<p className="text-sm text-slate-500">End of the audit trail.</p>}
        >
          {(events) => <AuditTable events={events} names={names} onOnlyTarget={onlyTarget} narrowedTo={filter.target} />}
        </InfiniteList>
      )}
    </section>
  );
}
