"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";

export function RemoveMemberButton({ memberId, email }: { memberId: string; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        // Their tokens are revoked with them, so both lists change.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() }),
        ]);
      },
    }),
  );

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline", "sm")}>
        Remove
      </button>
    );
  }

  return (
    <div className="flex w-full flex-col items-start gap-2 lg:items-end">
      <p className="max-w-60 text-xs font-medium text-slate-700">Remove {email}? Their API tokens are revoked too.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ workspaceId: workspace.id, memberId })}
          className={button("danger", "sm")}
        >
          {remove.isPending ? "Removing…" : "Yes, remove"}
        </button>
        <button
          type="button"
          disabled={remove.isPending}
          onClick={() => {
            remove.reset();
            setConfirming(false);
          }}
          className={button("secondary", "sm")}
        >
          Cancel
        </button>
      </div>
      {remove.error ? (
        <p role="alert" className="text-xs text-red-700">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </div>
  );
}
