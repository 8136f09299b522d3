"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { THostView } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { errorMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { useViewer } from "../../../_components/viewer-context";
import { useWorkspace } from "../../../_components/workspace-context";

/** Per person: profiles set to "My default Docker host" launch, for you, on the host you mark here. */
export function DefaultDockerSection({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const viewer = useViewer();
  const mine = host.createdBy === viewer.userId;
  const toast = useToast();

  const setDefault = useMutation(
    trpc.hosts.setMyDefaultDocker.mutationOptions({
      onSuccess: ({ hostId }) => {
        toast(hostId ? `Default Docker host set to ${host.name}` : "Default Docker host cleared");
        // Marking one host unmarks whichever was your default before, so every host page is stale.
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.hosts.get.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.profiles.resolve.pathKey() }),
        ]);
      },
    }),
  );

  return (
    <section aria-labelledby="default-docker-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="default-docker-heading" className="text-base font-semibold text-slate-900">
        Your default Docker host
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Profiles set to run on “My default Docker host” launch, for each person, on the Local Docker host they marked as theirs.
      </p>
      <div className="mt-4">
        {!mine ? (
          <p className="text-sm text-slate-700">
            Only <span className="font-medium break-all">{host.createdByEmail}</span>, who registered this host, can make it their default Docker host.
          </p>
        ) : host.isMyDefaultDockerHost ? (
          <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm font-medium text-brand-700">This is your default Docker host.</p>
            <button
              type="button"
              disabled={setDefault.isPending}
              onClick={() => setDefault.mutate({ workspaceId: workspace.id, hostId: null })}
              className={`${ui.secondaryButton} self-start sm:self-auto`}
            >
              {setDefault.isPending ? "Saving…" : "Stop using as default"}
            </button>
          </div>
        ) : (
          <button
            type="button"
            disabled={setDefault.isPending}
            onClick={() => setDefault.mutate({ workspaceId: workspace.id, hostId: host.id })}
            className={ui.primaryButton}
          >
            {setDefault.isPending ? "Saving…" : "Make this my default Docker host"}
          </button>
        )}
      </div>
      {setDefault.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {errorMessage(setDefault.error)}
        </p>
      ) : null}
    </section>
  );
}
