"use client";

import { useQuery } from "@tanstack/react-query";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ListCard } from "../../../_components/list-card";
import { QueryState } from "../../../_components/query-state";
import { useWorkspace } from "../../../_components/workspace-context";
import { TokenRow } from "./token-row";

export function TokenList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions({ workspaceId: workspace.id }));
  const seesEveryone = hasScope(workspace.scopes, "members.manage");
  const sorted = [...(tokens.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <ListCard
      headingId="token-list-heading"
      title="API tokens"
      description={seesEveryone ? "Every member's tokens in this workspace, because you hold members.manage." : "Your tokens in this workspace."}
    >
      <QueryState
        query={tokens}
        failed={tokens.isError}
        loadingLabel="Loading API tokens…"
        errorTitle="Could not load API tokens."
        isEmpty={sorted.length === 0}
        empty={<p className="px-5 py-10 text-center text-sm text-slate-500">No API tokens yet. Create one above to call the API from scripts or CI.</p>}
      >
        <ul aria-label="API tokens" className="divide-y divide-slate-100">
          {sorted.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </ul>
      </QueryState>
    </ListCard>
  );
}
