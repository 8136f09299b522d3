"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { NewPasswordFields, passwordsMismatch } from "@/app/_components/new-password-fields";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";

const FIELDS = ["name", "email", "password"] as const;

interface Props {
  token: string;
  /** A platform invite bound to one email: that is the account it makes. */
  boundEmail: string | null;
  onDone: (credentials: { email: string; password: string }, workspaceId: string | null) => Promise<void>;
}

export function NewAccountForm({ token, boundEmail, onDone }: Props) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(boundEmail ?? "");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string>();
  const create = useMutation(
    trpc.invites.acceptWithNewAccount.mutationOptions({
      onSuccess: ({ workspaceId }, input) => onDone({ email: input.email, password: input.password }, workspaceId),
    }),
  );
  const message = formMessage(create.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = passwordsMismatch(password, confirm);
    setMismatch(problem);
    if (problem) return;
    create.mutate({ token, name, email, password });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <TextField id="invite-name" label="Name" name="name" autoComplete="name" value={name} error={fieldError(create.error, "name")} onChange={(e) => setName(e.target.value)} />
      <TextField
        id="invite-email"
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        readOnly={Boolean(boundEmail)}
        value={email}
        error={fieldError(create.error, "email")}
        onChange={(e) => setEmail(e.target.value)}
      />
      <NewPasswordFields idPrefix="invite" password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} error={fieldError(create.error, "password")} confirmError={mismatch} />
      {message ? <Alert tone="error">{message}</Alert> : null}
      <button type="submit" disabled={create.isPending || create.isSuccess} className={ui.primaryButton}>
        {create.isPending || create.isSuccess ? "Creating your account…" : "Create account and join"}
      </button>
    </form>
  );
}
