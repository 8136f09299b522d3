"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { useWorkspace } from "../../../_components/workspace-context";

export function RevokeTokenButton({ tokenId, tokenName }: { tokenId: string; tokenName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() });
        toast("Token revoked");
      },
    }),
  );

  return (
    <ConfirmAction
      triggerLabel="Revoke"
      question={<>Revoke “{tokenName}”? It stops working at once.</>}
      confirmLabel="Yes, revoke"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate({ workspaceId: workspace.id, tokenId })}
      onCancel={() => revoke.reset()}
      className="sm:items-end"
    />
  );
}
