/** Dates in the reader's own locale and time zone; only ever called in the browser. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** To the second, for a tooltip beside a relative time. */
export function formatExactDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 5],
];

/** "12 seconds ago", "3 minutes ago", "yesterday", "just now"; browser only, like the formatters above. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(unit === "second" ? seconds : Math.round(seconds / size), unit);
  }
  return "just now";
}

/** A UTC day (YYYY-MM-DD) as the reader writes dates; read in UTC, or it would slip a day west of Greenwich. */
export function formatUtcDay(day: string, style: "medium" | "full" = "medium"): string {
  return new Date(`${day}T00:00:00.000Z`).toLocaleDateString(undefined, { dateStyle: style, timeZone: "UTC" });
}
