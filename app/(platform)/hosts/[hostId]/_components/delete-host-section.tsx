"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { THostView } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { errorCode, errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";

/** Delete, asking first; when profiles still point at the host, the server names them and "Delete anyway" forces it. */
export function DeleteHostSection({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const workspace = useWorkspace();
  const [confirming, setConfirming] = useState(false);

  const remove = useMutation(
    trpc.hosts.delete.mutationOptions({
      onSuccess: async () => {
        router.push("/hosts");
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.hosts.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.profiles.resolve.pathKey() }),
        ]);
      },
    }),
  );
  const stranded = errorCode(remove.error) === "CONFLICT";
  const pending = remove.isPending || remove.isSuccess;

  function cancel() {
    remove.reset();
    setConfirming(false);
  }

  return (
    <section aria-labelledby="delete-host-heading" className="rounded-lg border border-red-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id="delete-host-heading" className="text-base font-semibold text-slate-900">
        Delete this host
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        New launches on it stop at once; sandboxes already running on it are left alone, and its audit history stays.
      </p>
      <div className="mt-4">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline")}>
            Delete host
          </button>
        ) : stranded ? (
          <div className="space-y-3">
            <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
              {errorMessage(remove.error)}
            </p>
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                disabled={pending}
                onClick={() => remove.mutate({ workspaceId: workspace.id, hostId: host.id, force: true })}
                className={button("danger")}
              >
                {pending ? "Deleting…" : "Delete anyway"}
              </button>
              <button type="button" disabled={pending} onClick={cancel} className={ui.secondaryButton}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <div className="space-y-3">
            <p className="text-sm font-medium text-slate-800">
              Delete {host.name}? New launches on it stop at once; work already running is left alone.
            </p>
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                disabled={pending}
                onClick={() => remove.mutate({ workspaceId: workspace.id, hostId: host.id, force: false })}
                className={button("danger")}
              >
                {pending ? "Deleting…" : "Yes, delete host"}
              </button>
              <button type="button" disabled={pending} onClick={cancel} className={ui.secondaryButton}>
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
