"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ListCard } from "../../../_components/list-card";
import { QueryState } from "../../../_components/query-state";
import { TableShell } from "../../../_components/table-shell";
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
    <ListCard
      headingId="members-heading"
      title="Members"
      description={
        members.data ? (
          <>
            {members.data.length === 1 ? "1 person" : `${members.data.length} people`} in {workspace.name}.
          </>
        ) : null
      }
    >
      <QueryState query={members} failed={members.isError} loadingLabel="Loading members…" errorTitle="Could not load members.">
        <div className="overflow-x-auto">
          <TableShell
            headings={HEADINGS}
            trailingHeader={
              <th scope="col" className="px-4 py-2.5">
                <span className="sr-only">Actions</span>
              </th>
            }
          >
            {sorted.map((member) => (
              <MemberRow key={member.id} member={member} onReload={() => void members.refetch()} reloading={members.isFetching} />
            ))}
          </TableShell>
        </div>
      </QueryState>
    </ListCard>
  );
}
