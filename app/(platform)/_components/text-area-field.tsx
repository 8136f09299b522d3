import type { ReactNode, TextareaHTMLAttributes } from "react";
import { FieldError } from "@/app/_components/field-error";
import { ui } from "@/app/_lib/ui";

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "className" | "aria-invalid" | "aria-describedby"> & {
  /** The textarea's id; the error is `${id}-error` and the hint `${id}-hint`. */
  id: string;
  label: ReactNode;
  /** The message beside this field; while it shows, it replaces the hint. */
  error?: string | undefined;
  hint?: ReactNode;
  /** Extra ids to describe the field by, e.g. why its form cannot be sent yet. */
  describedBy?: string | undefined;
  className?: string | undefined;
};

/** TextField's multi-line sibling: a labelled textarea with its hint and field error, wired for assistive technology. */
export function TextAreaField({ id, label, error, hint, describedBy, className, ...textareaProps }: TextAreaFieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const showHint = !error && hint != null;
  const described = [error ? errorId : showHint ? hintId : undefined, describedBy].filter(Boolean).join(" ") || undefined;

  return (
    <div className={className}>
      <label htmlFor={id} className={ui.label}>
        {label}
      </label>
      <textarea id={id} {...textareaProps} aria-invalid={error ? true : undefined} aria-describedby={described} className={`${ui.input} mt-1.5 font-mono`} />
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
