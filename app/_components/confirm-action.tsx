"use client";

import { type ReactNode, useState } from "react";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button } from "@/app/_lib/ui";

/** An action that asks first: what the trigger says, the question, and what happens on "Yes…" or "Cancel". */
export interface ConfirmStepProps {
  /** The danger button shown until someone starts to act, e.g. "Revoke". */
  triggerLabel: string;
  /** What is about to happen, asked before it does. */
  question: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  /** Called before the question closes, e.g. to reset the mutation's error. */
  onCancel: () => void;
}

interface ConfirmActionProps extends ConfirmStepProps {
  /** Alignment of the question and its buttons, e.g. "sm:items-end". */
  className?: string;
}

/** A danger button that asks first: trigger, question, "Yes…" and "Cancel", and the error if acting failed. */
export function ConfirmAction({
  triggerLabel,
  question,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onCancel,
  className,
}: ConfirmActionProps) {
  const [confirming, setConfirming] = useState(false);

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline", "sm")}>
        {triggerLabel}
      </button>
    );
  }

  return (
    <div className={className ? `flex flex-col items-start gap-2 ${className}` : "flex flex-col items-start gap-2"}>
      <p className="max-w-60 text-xs font-medium text-slate-700">{question}</p>
      <div className="flex gap-2">
        <button type="button" disabled={pending} onClick={onConfirm} className={button("danger", "sm")}>
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={() => {
            onCancel();
            setConfirming(false);
          }}
          className={button("secondary", "sm")}
        >
          Cancel
        </button>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {errorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}
