"use client";

import { useEffect, useState } from "react";
import { RelativeTime } from "@/app/_components/local-time";

/**
 * When the operator last checked in: "Never" until it has, then "12 seconds ago" with the exact
 * time on hover. It ticks on its own (every second while under a minute old, then every 30 s),
 * since a refetch that brings the same time re-renders nothing.
 */
export function LastSeen({ at }: { at: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return;
    const age = Date.now() - new Date(at).getTime();
    const timer = setTimeout(() => setNow(Date.now()), age < 60_000 ? 1_000 : 30_000);
    return () => clearTimeout(timer);
  }, [at, now]);

  if (!at) return <span className="text-slate-500">Never</span>;
  return (
    // A check-in newer than the last tick is "just now", never "in 3 seconds".
    <RelativeTime iso={at} now={Math.max(now, new Date(at).getTime())} />
  );
}
