import type { TSandbox } from "@/prisma-free-schema";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { usageStore } from "../../store/usage-store";

/**
 * Adds a managed sandbox's compute seconds since it was last metered, up to `until`, to its
 * profile's row for each UTC day they fall on. BYO sandboxes are never metered. Exact with any
 * number of processes, across crashes and restarts:
 *  1. the interval is claimed on the sandbox document, on its etag (`meteredUntil` moves to
 *     `until`, `meterPending` names the interval), so two passes never claim the same second;
 *  2. it is added to the usage rows, each of which remembers up to when that sandbox is counted,
 *     so adding it again adds nothing;
 *  3. the claim is cleared.
 * A crash after 1 leaves the claim on the sandbox: the next pass (this sandbox's, or the sweep
 * of claims left pending, meterPendingSandboxes) counts it first. Returns the seconds this call added.
 */
/** How often a pass counts others' claims before making its own. */
const CLAIM_ATTEMPTS = 5;

export async function meterSandbox(store: Store, sandbox: TSandbox, profileName: string, until: Date): Promise<number> {
  if (sandbox.definition.provider !== "managed") return 0;
  let total = 0;
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
    let pending: { from: string; until: string } | undefined;
    const claimed = await sandboxStore(store).update(sandbox.workspaceId, sandbox.id, (current) => {
      pending = current.meterPending ?? undefined;
      // A paused sandbox (or one being paused, or ended while paused) runs nothing from its pause on: never counted past it.
      const end = current.pausedAt && new Date(current.pausedAt) < until ? new Date(current.pausedAt) : until;
      if (pending || !current.meteredUntil || new Date(current.meteredUntil) >= end) return undefined;
      return { ...current, meteredUntil: end.toISOString(), meterPending: { from: current.meteredUntil, until: end.toISOString() } };
    });
    if (!claimed) return total;
    // Another pass's claim (or one a crash left) is counted first, then this pass claims what is left up to `until`.
    if (pending) {
      total += await countClaim(store, sandbox, pending, profileName);
      continue;
    }
    const mine = claimed.after?.meterPending;
    if (mine) total += await countClaim(store, claimed.after!, mine, profileName);
    return total;
  }
  return total;
}

/** Counts a claimed interval into the usage rows (at most once), then clears the claim. */
async function countClaim(store: Store, sandbox: TSandbox, claim: { from: string; until: string }, profileName: string): Promise<number> {
  let added = 0;
  for (const [day, seconds, pieceUntil] of secondsPerDay(new Date(claim.from), new Date(claim.until))) {
    const at = { workspaceId: sandbox.workspaceId, day, profileId: sandbox.definition.profileId, profileName, sandboxId: sandbox.id, until: pieceUntil };
    if (await usageStore(store).add(at, seconds)) added += seconds;
  }
  await sandboxStore(store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.meterPending?.from === claim.from && current.meterPending.until === claim.until ? { ...current, meterPending: null } : undefined,
  );
  return added;
}

/** The seconds between `from` and `until`, split at UTC midnights: [YYYY-MM-DD, seconds, the piece's end (ISO)][]. */
export function secondsPerDay(from: Date, until: Date): [string, number, string][] {
  const out: [string, number, string][] = [];
  let cursor = from.getTime();
  const end = until.getTime();
  while (cursor < end) {
    const day = new Date(cursor).toISOString().slice(0, 10);
    const nextMidnight = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
    const stop = Math.min(nextMidnight, end);
    out.push([day, (stop - cursor) / 1000, new Date(stop).toISOString()]);
    cursor = stop;
  }
  return out;
}
