"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { TScope } from "@/prisma-free-schema";
import { hasScope, SCOPES } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { ScopeCheckboxes } from "../../../_components/scope-checkboxes";
import { InviteLinkPanel } from "./invite-link-panel";
import { useWorkspace } from "../../../_components/workspace-context";

const FIELDS = ["email", "scopes"] as const;

export function AddMemberForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const toast = useToast();
  const held = SCOPES.filter((scope) => hasScope(workspace.scopes, scope));
  const defaultScopes: TScope[] = held.includes("hosts.read") ? ["hosts.read"] : [];
  const [email, setEmail] = useState("");
  const [scopes, setScopes] = useState<TScope[]>(defaultScopes);
  const [issued, setIssued] = useState<{ email: string; link: string; expiresAt: string }>();

  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: async ({ link, expiresAt }, input) => {
        // Without PUBLIC_URL the server knows no address to put in the link; this page's is right.
        const absolute = link.startsWith("/") ? `${window.location.origin}${link}` : link;
        setIssued({ email: input.email.trim().toLowerCase(), link: absolute, expiresAt });
        setEmail("");
        setScopes(defaultScopes);
        toast(`Invite link created for ${input.email.trim().toLowerCase()}`);
        await queryClient.invalidateQueries({ queryKey: trpc.members.invites.queryKey() });
      },
    }),
  );
  const emailError = fieldError(add.error, "email");
  const scopesError = fieldError(add.error, "scopes");
  const message = formMessage(add.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIssued(undefined);
    add.mutate({ workspaceId: workspace.id, email, scopes });
  }

  return (
    <section aria-labelledby="add-member-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="add-member-heading" className="text-base font-semibold text-slate-900">
        Add a member
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Adding someone makes a one-time invite link, valid for a limited time. Send it to them: whoever opens it and signs in (or
        creates an account) joins with the scopes you choose here. The email is for your records.
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
        {issued ? <InviteLinkPanel {...issued} onDone={() => setIssued(undefined)} /> : null}
        <button type="submit" disabled={add.isPending} className={ui.primaryButton}>
          {add.isPending ? "Creating invite link…" : "Add member"}
        </button>
      </form>
    </section>
  );
}
