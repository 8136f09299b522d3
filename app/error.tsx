"use client";

import { Brand } from "@/app/_components/brand";
import { ui } from "@/app/_lib/ui";

/** Last resort for a page or layout that failed to render, e.g. the store being unreachable. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col items-center justify-center gap-6 px-4 py-12 text-center">
      <Brand />
      <div className={`${ui.card} w-full p-6`}>
        <h1 className="text-lg font-semibold text-slate-900">Something went wrong</h1>
        <p className="mt-2 text-sm text-slate-600">This page could not be loaded. Try again in a moment.</p>
        {error.digest ? <p className="mt-2 font-mono text-xs text-slate-500">Reference: {error.digest}</p> : null}
        <button type="button" onClick={reset} className={`${ui.primaryButton} mt-5`}>
          Try again
        </button>
      </div>
    </main>
  );
}
