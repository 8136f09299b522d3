"use client";

import { Brand } from "@/app/_components/brand";
import { ErrorCard } from "@/app/_components/error-card";

/** Last resort for a page or layout outside the platform's shell that failed to render, e.g. the store being unreachable. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col items-center justify-center gap-6 px-4 py-12 text-center">
      <Brand />
      <ErrorCard error={error} reset={reset} />
    </main>
  );
}
