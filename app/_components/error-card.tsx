"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { ui } from "@/app/_lib/ui";
import { useCrashRequestId } from "./use-crash-report";
import { RequestIdLine } from "./request-id-line";

/**
 * A page that failed to render: try again, go home, and what to quote to support. The server
 * logs the failure (`page.error`, instrumentation.ts, or `page.client_error` for a crash in the
 * browser: use-crash-report.ts) with the same request id and reference.
 */
export function ErrorCard({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const requestId = useCrashRequestId(error);
  const queryClient = useQueryClient();
  const router = useRouter();
  const [retrying, startTransition] = useTransition();

  function tryAgain() {
    // A crash in the browser may come from data still in its cache: that is asked again, not reused.
    void queryClient.resetQueries();
    // A crash on the server needs the page rendered again there, not only here (Next.js's error handling guide).
    startTransition(() => {
      router.refresh();
      reset();
    });
  }

  return (
    <div className={`${ui.card} mx-auto w-full max-w-md p-6 text-center`}>
      <h1 className="text-lg font-semibold text-slate-900">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">This page could not be loaded. Try again in a moment; if it keeps happening, quote the request id below to your administrator.</p>
      <div className="mt-5 flex flex-wrap justify-center gap-3">
        <button type="button" onClick={tryAgain} disabled={retrying} className={ui.primaryButton}>
          Try again
        </button>
        <Link href="/" className={ui.secondaryButton}>
          Go home
        </Link>
      </div>
      <RequestIdLine requestId={requestId} digest={error.digest} />
    </div>
  );
}
