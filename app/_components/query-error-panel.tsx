"use client";

import { errorMessage } from "@/app/_lib/trpc-error";
import { ui } from "@/app/_lib/ui";

export function QueryErrorPanel({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <div role="alert" className="flex flex-col gap-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 sm:flex-row sm:items-center sm:justify-between">
      <div>
        <p className="font-semibold">{title}</p>
        <p className="mt-0.5">{errorMessage(error)}</p>
      </div>
      <button type="button" onClick={onRetry} className={ui.secondaryButton}>
        Try again
      </button>
    </div>
  );
}
