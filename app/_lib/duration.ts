/** "850 ms", "12 s", "3 min 4 s", "2 h 5 min": how long a turn or a run took. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** Metered compute: "Under 1 min", "12 min", then hours:minutes, "3:05 h"; hours through `formatNumber` (the reader's grouping). */
export function formatComputeTime(seconds: number, formatNumber: (value: number) => string = String): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return seconds > 0 ? "Under 1 min" : "0 min";
  if (minutes < 60) return `${minutes} min`;
  return `${formatNumber(Math.floor(minutes / 60))}:${String(minutes % 60).padStart(2, "0")} h`;
}
