"use client";

import { useSyncExternalStore } from "react";
import { formatDate, formatDateTime, formatExactDateTime, formatRelative } from "@/app/_lib/format";

/**
 * A moment in the reader's own locale and time zone. Pages arrive with their data in the first
 * HTML (server prefetch), but the server knows neither the reader's zone nor their locale: so the
 * server, and the browser while it hydrates, write the moment in UTC, and the browser rewrites it
 * in local time right after. Both sides write the same text at first, so hydration never
 * mismatches.
 */
const FORMATS = {
  dateTime: formatDateTime,
  date: formatDate,
  time: (iso: string) => new Date(iso).toLocaleTimeString(),
} as const;

export function LocalTime({ iso, format = "dateTime" }: { iso: string; format?: keyof typeof FORMATS }) {
  const local = useHydrated();
  return (
    <time dateTime={iso} title={local ? formatExactDateTime(iso) : undefined}>
      {local ? FORMATS[format](iso) : utcText(iso, format)}
    </time>
  );
}

/** "12 seconds ago" with the exact time on hover; UTC until hydrated, for the same reason. */
export function RelativeTime({ iso, now }: { iso: string; now: number }) {
  const local = useHydrated();
  return (
    <time dateTime={iso} title={local ? formatExactDateTime(iso) : undefined}>
      {local ? formatRelative(iso, now) : utcText(iso, "dateTime")}
    </time>
  );
}

const noSubscription = () => () => undefined;

/** False on the server and while hydrating; true from the browser's next render on. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

function utcText(iso: string, format: keyof typeof FORMATS): string {
  const stamp = new Date(iso).toISOString();
  if (format === "date") return stamp.slice(0, 10);
  if (format === "time") return `${stamp.slice(11, 19)} UTC`;
  return `${stamp.slice(0, 10)} ${stamp.slice(11, 16)} UTC`;
}
