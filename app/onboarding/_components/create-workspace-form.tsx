"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { FieldError } from "@/app/_components/field-error";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { setWorkspaceCookie } from "@/app/_lib/workspace-cookie";

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: ({ id }) => {
        setWorkspaceCookie(id);
        router.push("/hosts");
        router.refresh();
      },
    }),
  );
  const nameError = fieldError(create.error, "name");
  const message = formMessage(create.error, ["name"]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <div>
        <label htmlFor="workspace-name" className={ui.label}>
          Workspace name
        </label>
        <input
          id="workspace-name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. Acme Platform Team"
          maxLength={60}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? "workspace-name-error" : "workspace-name-hint"}
          className={`${ui.input} mt-1.5`}
        />
        {nameError ? (
          <FieldError id="workspace-name-error" message={nameError} />
        ) : (
          <p id="workspace-name-hint" className="mt-1.5 text-sm text-slate-500">
            2 to 60 characters. You can invite teammates once it exists.
          </p>
        )}
      </div>
      {message ? <Alert tone="error">{message}</Alert> : null}
      <button type="submit" disabled={create.isPending || create.isSuccess} className={ui.primaryButton}>
        {create.isPending || create.isSuccess ? "Creating workspace…" : "Create workspace"}
      </button>
    </form>
  );
}
