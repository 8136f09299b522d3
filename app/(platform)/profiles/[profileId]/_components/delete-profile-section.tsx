"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { DangerZoneSection } from "../../../_components/danger-zone-section";
import { useLeaveAfterDelete } from "../../../_components/use-leave-after-delete";
import { useWorkspace } from "../../../_components/workspace-context";

export function DeleteProfileSection({ profileId, name }: { profileId: string; name: string }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const toast = useToast();
  const leave = useLeaveAfterDelete("/profiles", [trpc.profiles.list.pathKey(), trpc.profiles.readiness.pathKey()]);
  const remove = useMutation(
    trpc.profiles.delete.mutationOptions({
      onSuccess: () => {
        toast(`Profile ${name} deleted`);
        return leave();
      },
    }),
  );

  return (
    <DangerZoneSection
      headingId="delete-profile-heading"
      title="Delete this profile"
      description="Nobody can launch from it any more; runs already started from it are left alone."
      triggerLabel="Delete profile"
      question={<>Delete {name}? Nobody can launch from it any more.</>}
      confirmLabel="Yes, delete profile"
      pendingLabel="Deleting…"
      pending={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() => remove.mutate({ workspaceId: workspace.id, profileId })}
      onCancel={() => remove.reset()}
    />
  );
}
