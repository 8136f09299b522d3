"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ZEmail, ZPersonName } from "@/prisma-free-schema/user";
import { Alert } from "@/app/_components/alert";
import { TextField } from "@/app/_components/text-field";
import { button } from "@/app/_lib/ui";
import { signInLocally } from "./sign-in-locally";

interface FieldErrors {
  name?: string;
  email?: string;
}

export function DevSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsedName = ZPersonName.safeParse(name);
    const parsedEmail = ZEmail.safeParse(email);
    const errors: FieldErrors = {
      name: parsedName.success ? undefined : parsedName.error.issues[0]?.message,
      email: parsedEmail.success ? undefined : parsedEmail.error.issues[0]?.message,
    };
    setFieldErrors(errors);
    setError(undefined);
    if (!parsedName.success || !parsedEmail.success) return;

    setPending(true);
    const problem = await signInLocally({ name: parsedName.data, email: parsedEmail.data }, callbackUrl);
    if (problem) {
      setError(problem);
      setPending(false);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="local-sign-in-heading">
      <TextField
        id="local-name"
        label="Name"
        error={fieldErrors.name}
        name="name"
        autoComplete="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <TextField
        id="local-email"
        label="Email"
        error={fieldErrors.email}
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <button type="submit" disabled={pending} className={button("primary", "lg")}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
