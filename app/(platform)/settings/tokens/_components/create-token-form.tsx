"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { TScope } from "@/prisma-free-schema";
import { hasScope, SCOPES, TOKEN_EXPIRY_DAYS } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { Alert } from "@/app/_components/alert";
import { FieldError } from "@/app/_components/field-error";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { ScopeCheckboxes } from "../../../_components/scope-checkboxes";
import { useWorkspace } from "../../../_components/workspace-context";

type ExpiryDays = (typeof TOKEN_EXPIRY_DAYS)[number];
const DEFAULT_EXPIRY: ExpiryDays = 30;
const FIELDS = ["name", "scopes", "expiresInDays"] as const;

function toExpiry(value: string): ExpiryDays {
  return TOKEN_EXPIRY_DAYS.find((days) => String(days) === value) ?? DEFAULT_EXPIRY;
}

export function CreateTokenForm({ onCreated }: { onCreated: (created: { name: string; bearer: string }) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const held = SCOPES.filter((scope) => hasScope(workspace.scopes, scope));
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TScope[]>(held.includes("hosts.read") ? ["hosts.read"] : []);
  const [expiresInDays, setExpiresInDays] = useState<ExpiryDays>(DEFAULT_EXPIRY);

  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: async ({ token, bearer }) => {
        onCreated({ name: token.name, bearer });
        toast(`Token ${token.name} created`);
        await queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() });
      },
    }),
  );
  const nameError = fieldError(create.error, "name");
  const scopesError = fieldError(create.error, "scopes");
  const expiryError = fieldError(create.error, "expiresInDays");
  const message = formMessage(create.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ workspaceId: workspace.id, name, scopes, expiresInDays });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      <div className="grid gap-5 sm:grid-cols-3">
        <TextField
          id="token-name"
          label="Token name"
          error={nameError}
          className="sm:col-span-2"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. CI deploys"
          maxLength={60}
        />
        <div>
          <label htmlFor="token-expiry" className={ui.label}>
            Expires in
          </label>
          <select
            id="token-expiry"
            name="expiresInDays"
            value={expiresInDays}
            onChange={(event) => setExpiresInDays(toExpiry(event.target.value))}
            aria-invalid={expiryError ? true : undefined}
            aria-describedby={expiryError ? "token-expiry-error" : undefined}
            className={`${ui.input} mt-1.5`}
          >
            {TOKEN_EXPIRY_DAYS.map((days) => (
              <option key={days} value={days}>
                {days === 1 ? "1 day" : `${days} days`}
              </option>
            ))}
          </select>
          <FieldError id="token-expiry-error" message={expiryError} />
        </div>
      </div>

      <ScopeCheckboxes legend="Scopes" options={held} value={scopes} onChange={setScopes} error={scopesError} />
      <p className="-mt-2 text-xs text-slate-500">A token can only carry scopes you hold yourself.</p>

      {message ? <Alert tone="error">{message}</Alert> : null}

      <button type="submit" disabled={create.isPending} className={ui.primaryButton}>
        {create.isPending ? "Creating token…" : "Create token"}
      </button>
    </form>
  );
}
