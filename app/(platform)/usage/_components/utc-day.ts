/** A UTC day (YYYY-MM-DD) as the reader writes dates; read in UTC, or it would slip a day west of Greenwich. */
export function formatUtcDay(day: string, style: "medium" | "full" = "medium"): string {
  return new Date(`${day}T00:00:00.000Z`).toLocaleDateString(undefined, { dateStyle: style, timeZone: "UTC" });
}
