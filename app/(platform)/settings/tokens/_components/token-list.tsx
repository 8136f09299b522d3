"use client";

import { useQuery } from "@tanstack/react-query";
import { hasScope } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";
import { TokenRow } from "./token-row";

export function TokenList() {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions({ workspaceId: workspace.id }));
  const seesEveryone = hasScope(workspace.scopes, "members.manage");
  const sorted = [...(tokens.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <section aria-labelledby="token-list-heading" className={ui.card}>
      <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
        <h2 id="token-list-heading" className="text-base font-semibold text-slate-900">
          API tokens
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">
          {seesEveryone
            ? "Every member's tokens in this workspace, because you hold members.manage."
            : "Your tokens in this workspace."}
        </p>
      </div>
      {tokens.isPending ? (
        <LoadingPanel label="Loading API tokens…" />
      ) : tokens.isError ? (
        <div className="p-4">
          <QueryErrorPanel title="Could not load API tokens." error={tokens.error} onRetry={() => void tokens.refetch()} />
        </div>
      ) : sorted.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No API tokens yet. Create one above to call the API from scripts or CI.</p>
      ) : (
        <ul aria-label="API tokens" className="divide-y divide-slate-100">
          {sorted.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </ul>
      )}
    </section>
  );
}
