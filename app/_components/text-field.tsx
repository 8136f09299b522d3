import type { InputHTMLAttributes, ReactNode } from "react";
import { FieldError } from "@/app/_components/field-error";
import { ui } from "@/app/_lib/ui";

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "className" | "aria-invalid" | "aria-describedby"> & {
  /** The input's id; the error is `${id}-error` and the hint `${id}-hint`. */
  id: string;
  label: ReactNode;
  /** The message beside this input; while it shows, it replaces the hint. */
  error?: string | undefined;
  hint?: ReactNode;
  /** Classes for the wrapper, e.g. its width in a grid. */
  className?: string | undefined;
};

/** A labelled input with its hint and field error, wired together for assistive technology. */
export function TextField({ id, label, error, hint, className, ...inputProps }: TextFieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const showHint = !error && hint != null;

  return (
    <div className={className}>
      <label htmlFor={id} className={ui.label}>
        {label}
      </label>
      <input
        id={id}
        {...inputProps}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : showHint ? hintId : undefined}
        className={`${ui.input} mt-1.5`}
      />
      {showHint ? (
        <p id={hintId} className="mt-1.5 text-sm text-slate-500">
          {hint}
        </p>
      ) : (
        <FieldError id={errorId} message={error} />
      )}
    </div>
  );
}
