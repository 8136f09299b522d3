"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";
import { MemberRow } from "./member-row";

const HEADINGS = ["Name", "Email", "Role", "Scopes"] as const;

export function MembersTable() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const members = useQuery(trpc.members.list.queryOptions({ workspaceId: workspace.id }));
  const sorted = [...(members.data ?? [])].sort(
    (a, b) => Number(b.role === "owner") - Number(a.role === "owner") || a.email.localeCompare(b.email),
  );

  return (
    <section aria-labelledby="members-heading" className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
        <h2 id="members-heading" className="text-base font-semibold text-slate-900">
          Members
        </h2>
        {members.data ? (
          <p className="mt-0.5 text-sm text-slate-600">
            {members.data.length === 1 ? "1 person" : `${members.data.length} people`} in {workspace.name}.
          </p>
        ) : null}
      </div>
      {members.isPending ? (
        <LoadingPanel label="Loading members…" />
      ) : members.isError ? (
        <div className="p-4">
          <QueryErrorPanel title="Could not load members." error={members.error} onRetry={() => void members.refetch()} />
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 lg:table-header-group">
              <tr>
                {HEADINGS.map((heading) => (
                  <th key={heading} scope="col" className="whitespace-nowrap px-4 py-2.5">
                    {heading}
                  </th>
                ))}
                <th scope="col" className="px-4 py-2.5">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="block divide-y divide-slate-100 lg:table-row-group">
              {sorted.map((member) => (
                <MemberRow key={member.id} member={member} onReload={() => void members.refetch()} reloading={members.isFetching} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
