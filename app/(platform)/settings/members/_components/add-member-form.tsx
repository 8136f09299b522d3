"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { hasScope, SCOPES, type TScope } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { ScopeCheckboxes } from "../../../_components/scope-checkboxes";
import { useWorkspace } from "../../../_components/workspace-context";

const FIELDS = ["email", "scopes"] as const;

export function AddMemberForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const held = SCOPES.filter((scope) => hasScope(workspace.scopes, scope));
  const defaultScopes: TScope[] = held.includes("hosts.read") ? ["hosts.read"] : [];
  const [email, setEmail] = useState("");
  const [scopes, setScopes] = useState<TScope[]>(defaultScopes);
  const [added, setAdded] = useState<string>();

  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: async (_result, input) => {
        setAdded(input.email.trim().toLowerCase());
        setEmail("");
        setScopes(defaultScopes);
        await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
      },
    }),
  );
  const emailError = fieldError(add.error, "email");
  const scopesError = fieldError(add.error, "scopes");
  const message = formMessage(add.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(undefined);
    add.mutate({ workspaceId: workspace.id, email, scopes });
  }

  return (
    <section aria-labelledby="add-member-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="add-member-heading" className="text-base font-semibold text-slate-900">
        Add a member
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Add people by email. They see this workspace the next time they sign in with that address.
      </p>
      <form onSubmit={submit} noValidate className="mt-5 space-y-5">
        <TextField
          id="member-email"
          label="Email"
          error={emailError}
          className="max-w-md"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          placeholder="teammate@example.com"
        />
        <ScopeCheckboxes legend="Scopes" options={held} value={scopes} onChange={setScopes} error={scopesError} />
        {message ? <Alert tone="error">{message}</Alert> : null}
        {added ? <Alert tone="success">Added {added}. They will see this workspace the next time they sign in.</Alert> : null}
        <button type="submit" disabled={add.isPending} className={ui.primaryButton}>
          {add.isPending ? "Adding member…" : "Add member"}
        </button>
      </form>
    </section>
  );
}
