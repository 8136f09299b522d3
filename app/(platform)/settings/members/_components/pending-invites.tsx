"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { Alert } from "@/app/_components/alert";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { ScopeList } from "../../../_components/scope-list";
import { useWorkspace } from "../../../_components/workspace-context";

/** Invite links nobody has used yet; an admin can withdraw one, and its link then says so. */
export function PendingInvites() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const invites = useQuery(trpc.members.invites.queryOptions({ workspaceId: workspace.id }));
  const revoke = useMutation(
    trpc.members.revokeInvite.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.invites.queryKey() });
        toast("Invite revoked");
      },
    }),
  );
  if (!invites.data || invites.data.length === 0) return null;

  return (
    <section aria-labelledby="pending-invites-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="pending-invites-heading" className="text-base font-semibold text-slate-900">
        Pending invites
      </h2>
      <ul aria-label="Pending invites" className="mt-4 divide-y divide-slate-100">
        {invites.data.map((invite) => (
          <li key={invite.inviteId} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="min-w-0 space-y-1">
              <p className="font-medium text-slate-900">{invite.email ?? "Anyone with the link"}</p>
              <ScopeList scopes={invite.scopes} />
              <p className="text-xs text-slate-500">
                By {invite.createdBy}; expires {new Date(invite.expiresAt).toUTCString()}
              </p>
            </div>
            <button
              type="button"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate({ workspaceId: workspace.id, inviteId: invite.inviteId })}
              className={button("secondary", "sm")}
            >
              Withdraw
            </button>
          </li>
        ))}
      </ul>
      {revoke.error ? <Alert tone="error">{errorMessage(revoke.error)}</Alert> : null}
    </section>
  );
}
