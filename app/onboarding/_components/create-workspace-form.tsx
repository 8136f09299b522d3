"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
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
      <TextField
        id="workspace-name"
        label="Workspace name"
        error={nameError}
        hint="2 to 60 characters. You can invite teammates once it exists."
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        placeholder="e.g. Acme Platform Team"
        maxLength={60}
      />
      {message ? <Alert tone="error">{message}</Alert> : null}
      <button type="submit" disabled={create.isPending || create.isSuccess} className={ui.primaryButton}>
        {create.isPending || create.isSuccess ? "Creating workspace…" : "Create workspace"}
      </button>
    </form>
  );
}
