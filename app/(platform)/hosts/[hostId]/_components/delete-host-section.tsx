"use client";

import { useMutation } from "@tanstack/react-query";
import type { THostView } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { errorCode } from "@/app/_lib/trpc-error";
import { DangerZoneSection } from "../../../_components/danger-zone-section";
import { useLeaveAfterDelete } from "../../../_components/use-leave-after-delete";
import { useWorkspace } from "../../../_components/workspace-context";

/** Delete, asking first; when profiles still point at the host, the server names them and "Delete anyway" forces it. */
export function DeleteHostSection({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const leave = useLeaveAfterDelete("/hosts", [trpc.hosts.list.pathKey(), trpc.profiles.resolve.pathKey()]);
  const toast = useToast();
  const remove = useMutation(
    trpc.hosts.delete.mutationOptions({
      onSuccess: () => {
        toast(`Host ${host.name} deleted`);
        return leave();
      },
    }),
  );
  const stranded = errorCode(remove.error) === "CONFLICT";

  return (
    <DangerZoneSection
      headingId="delete-host-heading"
      title="Delete this host"
      description="New launches on it stop at once; sandboxes already running on it are left alone, and its audit history stays."
      triggerLabel="Delete host"
      question={<>Delete {host.name}? New launches on it stop at once; work already running is left alone.</>}
      confirmLabel="Yes, delete host"
      pendingLabel="Deleting…"
      pending={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() => remove.mutate({ workspaceId: workspace.id, hostId: host.id, force: false })}
      onCancel={() => remove.reset()}
      override={
        stranded
          ? { confirmLabel: "Delete anyway", onConfirm: () => remove.mutate({ workspaceId: workspace.id, hostId: host.id, force: true }) }
          : undefined
      }
    />
  );
}
