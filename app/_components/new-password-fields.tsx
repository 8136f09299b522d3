"use client";

import { TextField } from "@/app/_components/text-field";

export function passwordsMismatch(password: string, confirm: string): string | undefined {
  return password === confirm ? undefined : "The two passwords differ.";
}

/** A new password typed twice (onboarding, invites, changing it). */
export function NewPasswordFields(props: {
  idPrefix: string;
  label?: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  error?: string | undefined;
  confirmError?: string | undefined;
}) {
  return (
    <>
      <TextField
        id={`${props.idPrefix}-password`}
        label={props.label ?? "Password"}
        name="new-password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A few unrelated words make a strong one."
        value={props.password}
        error={props.error}
        onChange={(event) => props.onPassword(event.target.value)}
      />
      <TextField
        id={`${props.idPrefix}-confirm`}
        label="Repeat the password"
        name="confirm-password"
        type="password"
        autoComplete="new-password"
        value={props.confirm}
        error={props.confirmError}
        onChange={(event) => props.onConfirm(event.target.value)}
      />
    </>
  );
}
