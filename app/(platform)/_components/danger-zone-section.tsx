"use client";

import { type ReactNode, useState } from "react";
import type { ConfirmStepProps } from "@/app/_components/confirm-action";
import { errorMessage } from "@/app/_lib/trpc-error";
import { button, ui } from "@/app/_lib/ui";

interface DangerZoneSectionProps extends ConfirmStepProps {
  /** The heading's id, which also names the section. */
  headingId: string;
  title: string;
  description: ReactNode;
  /**
   * Set when the error is one the person may overrule (a conflict the server explains): the error
   * then shows as a warning with this button in place of the question.
   */
  override?: { confirmLabel: string; onConfirm: () => void } | undefined;
}

/** A red-bordered section for an action that cannot be undone: heading, what it does, and a confirm step. */
export function DangerZoneSection({ headingId, title, description, override, ...step }: DangerZoneSectionProps) {
  const [confirming, setConfirming] = useState(false);

  function cancel() {
    step.onCancel();
    setConfirming(false);
  }

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-red-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id={headingId} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mt-1 text-sm text-slate-600">{description}</p>
      <div className="mt-4">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} className={button("dangerOutline")}>
            {step.triggerLabel}
          </button>
        ) : override ? (
          <div className="space-y-3">
            <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
              {errorMessage(step.error)}
            </p>
            <ConfirmButtons label={step.pending ? step.pendingLabel : override.confirmLabel} pending={step.pending} onConfirm={override.onConfirm} onCancel={cancel} />
          </div>
        ) : (
          <div className="space-y-3">
            <p className="text-sm font-medium text-slate-800">{step.question}</p>
            <ConfirmButtons label={step.pending ? step.pendingLabel : step.confirmLabel} pending={step.pending} onConfirm={step.onConfirm} onCancel={cancel} />
            {step.error ? (
              <p role="alert" className="text-sm text-red-700">
                {errorMessage(step.error)}
              </p>
            ) : null}
          </div>
        )}
      </div>
    </section>
  );
}

function ConfirmButtons({ label, pending, onConfirm, onCancel }: { label: string; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      <button type="button" disabled={pending} onClick={onConfirm} className={button("danger")}>
        {label}
      </button>
      <button type="button" disabled={pending} onClick={onCancel} className={ui.secondaryButton}>
        Cancel
      </button>
    </div>
  );
}
