"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { useWorkspace } from "../../../_components/workspace-context";

export function RemoveMemberButton({ memberId, email }: { memberId: string; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        // Their tokens are revoked with them, so both lists change.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() }),
        ]);
        toast(`${email} removed from the workspace`);
      },
    }),
  );

  return (
    <ConfirmAction
      triggerLabel="Remove"
      question={<>Remove {email}? Their API tokens are revoked too.</>}
      confirmLabel="Yes, remove"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ workspaceId: workspace.id, memberId })}
      onCancel={() => remove.reset()}
      className="w-full lg:items-end"
    />
  );
}
