"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { useToast } from "@/app/_components/toaster";
import { Alert } from "@/app/_components/alert";
import { NewPasswordFields, passwordsMismatch } from "@/app/_components/new-password-fields";
import { TextField } from "@/app/_components/text-field";
import { fieldError, formMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";

const FIELDS = ["currentPassword", "newPassword"] as const;

/**
 * Changing the password ends every session of the account, this one included (a copy of any
 * cookie stops working); this browser then signs in again with the new password.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string>();
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async (_result, input) => {
        const { signIn } = await import("next-auth/react");
        const res = await signIn<"credentials">("local", { email, password: input.newPassword, redirect: false });
        setCurrent("");
        setNext("");
        setConfirm("");
        if (!res || res.error) {
          router.push("/signin");
          return;
        }
        setDone(true);
        toast("Password changed");
        router.refresh();
      },
    }),
  );
  const message = formMessage(change.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const problem = passwordsMismatch(next, confirm);
    setMismatch(problem);
    if (problem) return;
    change.mutate({ currentPassword: current, newPassword: next });
  }

  return (
    <section aria-labelledby="change-password-heading" className={`${ui.card} max-w-xl p-5 sm:p-6`}>
      <h2 id="change-password-heading" className="text-base font-semibold text-slate-900">
        Change password
      </h2>
      <p className="mt-1 text-sm text-slate-600">Signed in as {email}. Changing it signs you out everywhere else.</p>
      <form onSubmit={submit} noValidate className="mt-5 space-y-4">
        <TextField
          id="current-password"
          label="Current password"
          name="current-password"
          type="password"
          autoComplete="current-password"
          value={current}
          error={fieldError(change.error, "currentPassword")}
          onChange={(event) => setCurrent(event.target.value)}
        />
        <NewPasswordFields idPrefix="new" label="New password" password={next} confirm={confirm} onPassword={setNext} onConfirm={setConfirm} error={fieldError(change.error, "newPassword")} confirmError={mismatch} />
        {message ? <Alert tone="error">{message}</Alert> : null}
        {done ? <Alert tone="success">Password changed. Every other session of your account was signed out.</Alert> : null}
        <button type="submit" disabled={change.isPending} className={ui.primaryButton}>
          {change.isPending ? "Changing password…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
