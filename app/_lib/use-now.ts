"use client";

import { useEffect, useState } from "react";

/**
 * The time now, again every `everyMs` while `ticking`: for durations that grow while a run does.
 * Null until the browser has rendered once: the server's clock and the browser's differ, so a
 * time written on the server would not match the browser's while it hydrates.
 */
export function useNow(ticking: boolean, everyMs = 1_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [ticking, everyMs]);
  return now;
}
