"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";

export function DeleteProfileSection({ profileId, name }: { profileId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const workspace = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.profiles.delete.mutationOptions({
      onSuccess: async () => {
        router.push("/profiles");
        await queryClient.invalidateQueries({ queryKey: trpc.profiles.list.pathKey() });
      },
    }),
  );
  const pending = remove.isPending || remove.isSuccess;

  return (
    <section aria-labelledby="delete-profile-heading" className="rounded-lg border border-red-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id="delete-profile-heading" className="text-base font-semibold text-slate-900">
        Delete this profile
      </h2>
      <p className="mt-1 text-sm text-slate-600">Nobody can launch from it any more; runs already started from it are left alone.</p>
      <div className="mt-4">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline")}>
            Delete profile
          </button>
        ) : (
          <div className="space-y-3">
            <p className="text-sm font-medium text-slate-800">Delete {name}? Nobody can launch from it any more.</p>
            <div className="flex flex-wrap gap-2">
              <button type="button" disabled={pending} onClick={() => remove.mutate({ workspaceId: workspace.id, profileId })} className={button("danger")}>
                {pending ? "Deleting…" : "Yes, delete profile"}
              </button>
              <button
                type="button"
                disabled={pending}
                onClick={() => {
                  remove.reset();
                  setConfirming(false);
                }}
                className={ui.secondaryButton}
              >
                Cancel
              </button>
            </div>
            {remove.error ? (
              <p role="alert" className="text-sm text-red-700">
                {errorMessage(remove.error)}
              </p>
            ) : null}
          </div>
        )}
      </div>
    </section>
  );
}
