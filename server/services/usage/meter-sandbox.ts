import type { TSandbox } from "@/prisma-free-schema";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { usageStore } from "../../store/usage-store";

/**
 * Adds a managed sandbox's compute seconds since it was last metered, up to `until`, to its
 * profile's row for each UTC day they fall on, then moves its meter. BYO sandboxes are never
 * metered. The meter moves after the rows are written, so a crash in between counts those
 * seconds again at most once, never loses them.
 */
export async function meterSandbox(store: Store, sandbox: TSandbox, profileName: string, until: Date): Promise<number> {
  if (sandbox.definition.provider !== "managed" || !sandbox.meteredUntil) return 0;
  const from = new Date(sandbox.meteredUntil);
  if (until <= from) return 0;
  const usage = usageStore(store);
  let total = 0;
  for (const [day, seconds] of secondsPerDay(from, until)) {
    await usage.add(sandbox.workspaceId, day, sandbox.definition.profileId, profileName, seconds);
    total += seconds;
  }
  await sandboxStore(store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.meteredUntil && new Date(current.meteredUntil) < until ? { ...current, meteredUntil: until.toISOString() } : undefined,
  );
  return total;
}

/** The seconds between `from` and `until`, split at UTC midnights: [YYYY-MM-DD, seconds][]. */
export function secondsPerDay(from: Date, until: Date): [string, number][] {
  const out: [string, number][] = [];
  let cursor = from.getTime();
  const end = until.getTime();
  while (cursor < end) {
    const day = new Date(cursor).toISOString().slice(0, 10);
    const nextMidnight = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
    const stop = Math.min(nextMidnight, end);
    out.push([day, (stop - cursor) / 1000]);
    cursor = stop;
  }
  return out;
}
