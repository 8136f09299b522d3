"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";

export function RevokeTokenButton({ tokenId, tokenName }: { tokenId: string; tokenName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() }),
    }),
  );

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline", "sm")}>
        Revoke
      </button>
    );
  }

  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <p className="max-w-60 text-xs font-medium text-slate-700">Revoke “{tokenName}”? It stops working at once.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate({ workspaceId: workspace.id, tokenId })}
          className={button("danger", "sm")}
        >
          {revoke.isPending ? "Revoking…" : "Yes, revoke"}
        </button>
        <button
          type="button"
          disabled={revoke.isPending}
          onClick={() => {
            revoke.reset();
            setConfirming(false);
          }}
          className={button("secondary", "sm")}
        >
          Cancel
        </button>
      </div>
      {revoke.error ? (
        <p role="alert" className="text-xs text-red-700">
          {errorMessage(revoke.error)}
        </p>
      ) : null}
    </div>
  );
}
