"use client";

import { ErrorCard } from "@/app/_components/error-card";

/** A platform page that failed to render: the card inside the shell, so the nav still leads on. */
export default function PlatformError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="py-8">
      <ErrorCard error={error} reset={reset} />
    </div>
  );
}
