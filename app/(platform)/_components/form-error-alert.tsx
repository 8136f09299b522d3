"use client";

import { ui } from "@/app/_lib/ui";

interface FormErrorAlertProps {
  message: string | undefined;
  /** Someone else saved first: offer to fetch their version, which resets the form. */
  stale: boolean;
  onReload: () => void;
  reloading: boolean;
}

/** The error under a form; when the record changed underneath the editor, with a "Reload" button. */
export function FormErrorAlert({ message, stale, onReload, reloading }: FormErrorAlertProps) {
  if (!message) return null;
  return (
    <div role="alert" className="flex flex-col gap-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 sm:flex-row sm:items-center sm:justify-between">
      <p>{message}</p>
      {stale ? (
        <button type="button" onClick={onReload} disabled={reloading} className={`${ui.secondaryButton} shrink-0`}>
          {reloading ? "Reloading…" : "Reload"}
        </button>
      ) : null}
    </div>
  );
}
