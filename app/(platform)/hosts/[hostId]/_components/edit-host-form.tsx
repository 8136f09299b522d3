"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { THostView, TRuntimeFamily } from "@/prisma-free-schema";
import { ZHostChanges } from "@/prisma-free-schema/host";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { fieldError, formMessage, isStaleConflict } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { FormErrorAlert } from "../../../_components/form-error-alert";
import { RuntimeFamilyCheckboxes } from "../../../_components/runtime-family-checkboxes";
import { useWorkspace } from "../../../_components/workspace-context";
import { WorkloadIdentityCheckbox } from "../../_components/workload-identity-checkbox";
import { fieldIssues } from "@/app/_lib/field-issues";

const FIELDS = ["runtimeFamilies", "workloadIdentity"] as const;

interface EditHostFormProps {
  host: THostView;
  onSaved: (revision: string) => void;
  onReload: () => void;
  reloading: boolean;
}

export function EditHostForm({ host, onSaved, onReload, reloading }: EditHostFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const [runtimeFamilies, setRuntimeFamilies] = useState<TRuntimeFamily[]>(host.runtimeFamilies);
  const [workloadIdentity, setWorkloadIdentity] = useState(host.workloadIdentity);
  const [localErrors, setLocalErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({});

  const save = useMutation(
    trpc.hosts.update.mutationOptions({
      onSuccess: async (updated) => {
        onSaved(updated.revision);
        queryClient.setQueryData(trpc.hosts.get.queryKey({ workspaceId: workspace.id, hostId: updated.id }), updated);
        // What a host serves decides where profiles can land.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.hosts.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.profiles.resolve.pathKey() }),
        ]);
      },
    }),
  );
  const message = formMessage(save.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const changes = { runtimeFamilies, workloadIdentity: host.kind === "kubernetes" && workloadIdentity };
    // The server would name only "changes"; checked here, each problem shows beside its own field.
    const parsed = ZHostChanges.safeParse(changes);
    if (!parsed.success) {
      setLocalErrors(fieldIssues(parsed.error, FIELDS));
      return;
    }
    setLocalErrors({});
    save.mutate({ workspaceId: workspace.id, hostId: host.id, revision: host.revision, changes: parsed.data });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${host.name}`} className="space-y-5">
      <RuntimeFamilyCheckboxes
        value={runtimeFamilies}
        onChange={setRuntimeFamilies}
        hint="Profiles that need a family this host does not serve are refused here."
        error={localErrors.runtimeFamilies ?? fieldError(save.error, "runtimeFamilies")}
      />
      {host.kind === "kubernetes" ? (
        <WorkloadIdentityCheckbox
          id="edit-host-workload-identity"
          checked={workloadIdentity}
          onChange={setWorkloadIdentity}
          error={localErrors.workloadIdentity ?? fieldError(save.error, "workloadIdentity")}
        />
      ) : null}
      <FormErrorAlert message={message} stale={isStaleConflict(save.error)} onReload={onReload} reloading={reloading} />
      <button type="submit" disabled={save.isPending} className={ui.primaryButton}>
        {save.isPending ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}
