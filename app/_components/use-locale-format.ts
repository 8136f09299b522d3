import { formatUtcDay } from "@/app/_lib/format";
import { useHydrated } from "./local-time";

/** Numbers and UTC days for a client component's text. */
export interface LocaleFormat {
  number: (value: number) => string;
  utcDay: (day: string) => string;
}

/**
 * The server does not know the reader's locale (its own would show a German reader "1,000"
 * hours, then React would find "1.000" in the browser and call it a hydration mismatch). So the
 * server, and the browser while hydrating, write a form nobody misreads (plain digits, ISO days),
 * and the browser rewrites it in the reader's locale right after, as LocalTime does for moments.
 */
const FIXED: LocaleFormat = { number: (value) => String(value), utcDay: (day) => day };
const READERS: LocaleFormat = { number: (value) => value.toLocaleString(), utcDay: (day) => formatUtcDay(day) };

export function useLocaleFormat(): LocaleFormat {
  return useHydrated() ? READERS : FIXED;
}
