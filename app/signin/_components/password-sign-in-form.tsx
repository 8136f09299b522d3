"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ZEmail } from "@/prisma-free-schema/user";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { button } from "@/app/_lib/ui";
import { signInLocally } from "./sign-in-locally";

/** A local account's sign-in: email and password (production and the image). */
export function PasswordSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [emailError, setEmailError] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsedEmail = ZEmail.safeParse(email);
    setEmailError(parsedEmail.success ? undefined : parsedEmail.error.issues[0]?.message);
    setError(undefined);
    if (!parsedEmail.success) return;
    if (!password) {
      setError("Enter your password.");
      return;
    }
    setPending(true);
    const problem = await signInLocally({ email: parsedEmail.data, password }, callbackUrl);
    if (problem) {
      setError(problem);
      setPassword("");
      setPending(false);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="local-sign-in-heading">
      <TextField id="signin-email" label="Email" error={emailError} name="email" type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} />
      <TextField
        id="signin-password"
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <button type="submit" disabled={pending} className={button("primary", "lg")}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
