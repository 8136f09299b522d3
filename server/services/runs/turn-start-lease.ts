import type { TRun, TTurnStartIntent } from "@/prisma-free-schema";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

/**
 * A turn's start, held in the store (the run's `turnStart`): queued by the person's request,
 * claimed by one process at a time under a lease it renews while it readies the sandbox and hands
 * the turn over, acknowledged once the sidecar took it. A process that dies stops renewing; once
 * the lease lapses any process may claim the start again (turn-start-reconciler.ts).
 */
export const TURN_DISPATCH_LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;

/**
 * How long the process that queued a turn has it to itself: the turn's input is saved just after
 * the run, and another process's resync must not take the start up before that. Past it (the
 * sender died), anyone may.
 */
export const SENDER_GRACE_MS = 10_000;

/** A turn just sent: waiting for a process to start it; the sending process (`sender`) first. */
export function queuedTurnStart(sender?: string, now = Date.now()): TTurnStartIntent {
  return { phase: "queued", until: sender ? new Date(now + SENDER_GRACE_MS).toISOString() : null, holder: sender ?? null, attempts: 0, lastError: null };
}

/** Whether `run`'s newest turn is still open and its start at the stage `phase` (held by `holder`, if given). */
function startIs(run: TRun, turn: number, phase: TTurnStartIntent["phase"], holder?: string): boolean {
  if (run.lastTurn?.turn !== turn || run.lastTurn.endedAt !== null || run.turnStart?.phase !== phase) return false;
  return holder === undefined || run.turnStart.holder === holder;
}

/** Whether `holder` may claim the start now: queued and due (or queued by it), or dispatching under a lease that lapsed. */
export function startClaimable(start: TTurnStartIntent, now: number, holder: string): boolean {
  if (start.phase === "queued") return start.until === null || Date.parse(start.until) <= now || start.holder === holder;
  return start.phase === "dispatching" && (start.until === null || Date.parse(start.until) <= now);
}

/** Claims `turn`'s start for `holder` on the run's etag; the run as claimed, or undefined if it was not claimable. */
export async function claimTurnStart(store: Store, workspaceId: string, runId: string, turn: number, holder: string): Promise<TRun | undefined> {
  const now = Date.now();
  let claimed = false;
  const run = await runStore(store).update(workspaceId, runId, (current) => {
    const start = current.turnStart;
    if (!start || current.lastTurn?.turn !== turn || current.lastTurn.endedAt !== null || !startClaimable(start, now, holder)) return undefined;
    claimed = true;
    const until = new Date(now + TURN_DISPATCH_LEASE_MS).toISOString();
    return { ...current, turnStart: { ...start, phase: "dispatching", holder, until, attempts: start.attempts + 1 } };
  });
  if (!claimed || !run) return undefined;
  const { etag: _etag, ...claimedRun } = run;
  return claimedRun;
}

/**
 * Renews `holder`'s lease on `turn`'s start while it works on it. `lost` fires when the start is
 * no longer its to finish (another process claimed it after a stall, or the turn ended); `stop`
 * stops renewing.
 */
export function holdTurnDispatch(store: Store, workspaceId: string, runId: string, turn: number, holder: string): { lost: AbortSignal; stop(): void } {
  const lost = new AbortController();
  const renew = setInterval(() => {
    runStore(store)
      .update(workspaceId, runId, (run) => {
        if (!startIs(run, turn, "dispatching", holder)) {
          lost.abort(new Error("The turn's start was taken over or ended."));
          return undefined;
        }
        return { ...run, turnStart: { ...run.turnStart!, until: new Date(Date.now() + TURN_DISPATCH_LEASE_MS).toISOString() } };
      })
      .catch((error: unknown) => log.warn("run.turn_dispatch_renew_failed", { runId, turn, error }));
  }, RENEW_EVERY_MS);
  renew.unref();
  return { lost: lost.signal, stop: () => clearInterval(renew) };
}

/** Whether `holder` still holds `turn`'s start: checked just before the turn is handed over. */
export async function stillHolding(store: Store, workspaceId: string, runId: string, turn: number, holder: string): Promise<boolean> {
  const run = await runStore(store).get(workspaceId, runId);
  return run !== undefined && startIs(run, turn, "dispatching", holder);
}

/** The sidecar took `turn`: its start is acknowledged (nothing if the turn ended meanwhile). */
export async function acknowledgeTurnStart(store: Store, workspaceId: string, runId: string, turn: number): Promise<void> {
  await runStore(store).update(workspaceId, runId, (run) =>
    run.lastTurn?.turn === turn && run.lastTurn.endedAt === null && run.turnStart && run.turnStart.phase !== "acknowledged"
      ? { ...run, turnStart: { ...run.turnStart, phase: "acknowledged", until: null, holder: null, lastError: null }, updatedAt: new Date().toISOString() }
      : undefined,
  );
}

/** `holder`'s attempt did not get through but may if tried again: the start is queued again, due at `retryAt`, saying why. */
export async function requeueTurnStart(store: Store, workspaceId: string, runId: string, turn: number, holder: string, retryAt: Date, lastError: string): Promise<void> {
  await runStore(store).update(workspaceId, runId, (run) =>
    startIs(run, turn, "dispatching", holder) ? { ...run, turnStart: { ...run.turnStart!, phase: "queued", holder: null, until: retryAt.toISOString(), lastError } } : undefined,
  );
}
