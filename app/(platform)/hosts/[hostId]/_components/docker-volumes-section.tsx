"use client";

import { LocalTime } from "@/app/_components/local-time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { THostView } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { useToast } from "@/app/_components/toaster";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";
import { dockerVolumesAsked, hostInput } from "./host-queries";

/** Local Docker only: the persistent workspace volumes on this engine, as the operator lists them. */
export function DockerVolumesSection({ host, canManage }: { host: THostView; canManage: boolean }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  // Asked only while the operator is registered: otherwise there is nobody to answer.
  const volumes = useQuery(trpc.hosts.dockerVolumes.queryOptions(hostInput(workspace.id, host.id), { enabled: dockerVolumesAsked(host) }));

  return (
    <section aria-labelledby="docker-volumes-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="docker-volumes-heading" className="text-base font-semibold text-slate-900">
        Volumes
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Persistent workspaces: one Docker volume per person and profile, kept when a sandbox ends so the next one starts with the same files.
      </p>
      <div className="mt-4">
        {host.status !== "registered" || volumes.data?.connected === false ? (
          <p role="status" className="text-sm text-slate-700">
            The operator is not connected, so its volumes cannot be listed now. They are still on the engine; this list shows them once it connects.
          </p>
        ) : volumes.isPending ? (
          <p role="status" className="text-sm text-slate-600">
            Asking the operator…
          </p>
        ) : !volumes.data ? (
          <QueryErrorPanel title="Could not list this host's volumes." error={volumes.error} onRetry={() => void volumes.refetch()} />
        ) : volumes.data.volumes.length === 0 ? (
          <p className="text-sm text-slate-700">No workspace volumes on this host.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 font-medium">Name</th>
                <th scope="col" className="py-2 font-medium">Created</th>
                <th scope="col" className="py-2 font-medium">In use</th>
                {canManage ? <th scope="col" className="py-2"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {volumes.data.volumes.map((volume) => (
                <tr key={volume.name}>
                  <td className="break-all py-2 font-mono text-xs">{volume.name}</td>
                  <td className="py-2">{volume.createdAt ? <LocalTime iso={volume.createdAt} /> : "Unknown"}</td>
                  <td className="py-2">{volume.inUse ? "Yes" : "No"}</td>
                  {canManage ? (
                    <td className="py-2 text-right">
                      <RemoveVolume hostId={host.id} name={volume.name} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function RemoveVolume({ hostId, name }: { hostId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const remove = useMutation(
    trpc.hosts.removeDockerVolume.mutationOptions({
      onSuccess: ({ removed }) => {
        toast(removed ? `Volume ${name} removed` : `Volume ${name} was already gone`);
        return queryClient.invalidateQueries({ queryKey: trpc.hosts.dockerVolumes.pathKey() });
      },
    }),
  );
  return (
    <ConfirmAction
      triggerLabel="Remove"
      question={<>Remove {name}? The files in this workspace are deleted for good.</>}
      confirmLabel="Yes, remove volume"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ workspaceId: workspace.id, hostId, name })}
      onCancel={() => remove.reset()}
      className="sm:items-end"
    />
  );
}
