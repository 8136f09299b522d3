import { z } from "zod";
import { ZProfileId } from "@/prisma-free-schema";
import type { Store } from "../../store/store";
import { usageStore } from "../../store/usage-store";

const ZProfileUsage = z.object({ profileId: ZProfileId, profileName: z.string(), seconds: z.number().nonnegative() });

/** Managed compute for the Usage page: per UTC day and profile over a window, and this calendar month's total. */
export const ZUsageReport = z.object({
  /** The window's first and last UTC day (YYYY-MM-DD), both included. */
  fromDay: z.iso.date(),
  toDay: z.iso.date(),
  /** Days that used any managed compute, newest first; each day's profiles largest first. */
  days: z.array(z.object({ day: z.iso.date(), seconds: z.number().nonnegative(), profiles: z.array(ZProfileUsage) })),
  /** Per profile over the whole window, largest first. */
  profiles: z.array(ZProfileUsage),
  windowSeconds: z.number().nonnegative(),
  /** The current UTC calendar month, which the plan's monthly allowance is measured against. */
  month: z.object({ fromDay: z.iso.date(), seconds: z.number().nonnegative() }),
});
export type TUsageReport = z.infer<typeof ZUsageReport>;

export interface ListUsageOptions {
  store: Store;
  workspaceId: string;
  /** How many UTC days back, today included. */
  days: number;
  now?: Date;
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const bySeconds = (a: { seconds: number }, b: { seconds: number }) => b.seconds - a.seconds;

/**
 * Usage rows are kept per (UTC day, profile) by the meter (meter-sandbox.ts), for managed compute
 * only: bring-your-own hosts never write one. One partitioned query covers both the window and
 * the month, whichever starts earlier.
 */
export async function listUsage({ store, workspaceId, days, now = new Date() }: ListUsageOptions): Promise<TUsageReport> {
  const toDay = utcDay(now);
  const fromDay = utcDay(new Date(Date.parse(`${toDay}T00:00:00.000Z`) - (days - 1) * DAY_MS));
  const monthFromDay = `${toDay.slice(0, 7)}-01`;
  const rows = await usageStore(store).since(workspaceId, fromDay < monthFromDay ? fromDay : monthFromDay);

  const perDay = new Map<string, TUsageReport["days"][number]>();
  const perProfile = new Map<string, TUsageReport["profiles"][number]>();
  let windowSeconds = 0;
  let monthSeconds = 0;
  for (const row of rows) {
    // The store filters by partition already; the check keeps a stray row from ever showing.
    if (row.workspaceId !== workspaceId || row.day > toDay) continue;
    if (row.day >= monthFromDay) monthSeconds += row.seconds;
    if (row.day < fromDay) continue;
    windowSeconds += row.seconds;
    const day = perDay.get(row.day) ?? { day: row.day, seconds: 0, profiles: [] };
    day.seconds += row.seconds;
    day.profiles.push({ profileId: row.profileId, profileName: row.profileName, seconds: row.seconds });
    perDay.set(row.day, day);
    const profile = perProfile.get(row.profileId) ?? { profileId: row.profileId, profileName: row.profileName, seconds: 0 };
    profile.seconds += row.seconds;
    perProfile.set(row.profileId, profile);
  }

  return {
    fromDay,
    toDay,
    days: [...perDay.values()].sort((a, b) => b.day.localeCompare(a.day)).map((day) => ({ ...day, profiles: day.profiles.sort(bySeconds) })),
    profiles: [...perProfile.values()].sort(bySeconds),
    windowSeconds,
    month: { fromDay: monthFromDay, seconds: monthSeconds },
  };
}
