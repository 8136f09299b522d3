"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { THostKind, TRuntimeFamily } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { errorMessage, fieldError, formMessage, isNameTaken } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { RuntimeFamilyCheckboxes } from "../../../_components/runtime-family-checkboxes";
import { useWorkspace } from "../../../_components/workspace-context";
import { WorkloadIdentityCheckbox } from "../../_components/workload-identity-checkbox";
import { KindRadioCards } from "./kind-radio-cards";

const FIELDS = ["kind", "name", "runtimeFamilies", "workloadIdentity"] as const;

export function RegisterHostForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const workspace = useWorkspace();
  const [kind, setKind] = useState<THostKind>("kubernetes");
  const [name, setName] = useState("");
  const [runtimeFamilies, setRuntimeFamilies] = useState<TRuntimeFamily[]>([]);
  const [workloadIdentity, setWorkloadIdentity] = useState(false);

  const register = useMutation(
    trpc.hosts.register.mutationOptions({
      onSuccess: async (host) => {
        queryClient.setQueryData(trpc.hosts.get.queryKey({ workspaceId: workspace.id, hostId: host.id }), host);
        await queryClient.invalidateQueries({ queryKey: trpc.hosts.list.pathKey() });
        router.push(`/hosts/${host.id}`);
      },
    }),
  );
  const error = register.error;
  const nameTaken = isNameTaken(error);
  const message = nameTaken ? undefined : formMessage(error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    register.mutate({ workspaceId: workspace.id, kind, name, runtimeFamilies, workloadIdentity: kind === "kubernetes" && workloadIdentity });
  }

  return (
    <form onSubmit={submit} noValidate className={`${ui.card} space-y-6 p-5 sm:p-6`}>
      <KindRadioCards value={kind} onChange={setKind} error={fieldError(error, "kind")} />
      <TextField
        id="host-name"
        label="Name"
        error={fieldError(error, "name") ?? (nameTaken ? errorMessage(error) : undefined)}
        hint="Lowercase letters, digits and dashes. It becomes the host's identifier and cannot be changed later."
        className="max-w-md"
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        placeholder={kind === "kubernetes" ? "e.g. prod-eks" : "e.g. ada-laptop"}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={63}
      />
      <RuntimeFamilyCheckboxes
        value={runtimeFamilies}
        onChange={setRuntimeFamilies}
        hint="The languages this host's sandboxes are equipped for. Profiles that need others are not placed here."
        error={fieldError(error, "runtimeFamilies")}
      />
      {kind === "kubernetes" ? (
        <WorkloadIdentityCheckbox id="host-workload-identity" checked={workloadIdentity} onChange={setWorkloadIdentity} error={fieldError(error, "workloadIdentity")} />
      ) : null}
      {message ? <Alert tone="error">{message}</Alert> : null}
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-5">
        <button type="submit" disabled={register.isPending} className={ui.primaryButton}>
          {register.isPending ? "Registering host…" : "Register host"}
        </button>
        <p className="text-sm text-slate-500">The host shows as Awaiting operator until its operator connects.</p>
      </div>
    </form>
  );
}
