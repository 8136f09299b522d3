"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";
import { NewPasswordFields, passwordsMismatch } from "@/app/_components/new-password-fields";
import { signInLocally } from "@/app/signin/_components/sign-in-locally";

const FIELDS = ["name", "email", "password"] as const;

/** The first person on a fresh install: their account, then (once signed in) their workspace. */
export function FirstAccountForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string>();
  const [signInError, setSignInError] = useState<string>();
  const create = useMutation(
    trpc.account.createFirst.mutationOptions({
      onSuccess: async (_result, input) => {
        if (await signInLocally({ email: input.email, password: input.password }, "/onboarding")) {
          setSignInError("Your account was created, but signing in failed. Sign in with it.");
          return;
        }
        router.refresh();
      },
    }),
  );
  const message = formMessage(create.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = passwordsMismatch(password, confirm);
    setMismatch(problem);
    if (problem) return;
    create.mutate({ name, email, password });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <TextField id="first-name" label="Name" name="name" autoComplete="name" value={name} error={fieldError(create.error, "name")} onChange={(e) => setName(e.target.value)} />
      <TextField id="first-email" label="Email" name="email" type="email" autoComplete="username" value={email} error={fieldError(create.error, "email")} onChange={(e) => setEmail(e.target.value)} />
      <NewPasswordFields
        idPrefix="first"
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        error={fieldError(create.error, "password")}
        confirmError={mismatch}
      />
      {message ? <Alert tone="error">{message}</Alert> : null}
      {signInError ? <Alert tone="error">{signInError}</Alert> : null}
      <button type="submit" disabled={create.isPending || create.isSuccess} className={ui.primaryButton}>
        {create.isPending || create.isSuccess ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
