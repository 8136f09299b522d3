import type { TRun } from "@/prisma-free-schema";
import { log } from "../../log";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";

/**
 * A turn's start, held in the store: from the moment a person sends a turn until its sidecar
 * takes it, the run says "dispatching" under a lease the process doing it renews as it works
 * (readying the sandbox can take a while). The process dies (a restart at any instant) and the
 * lease lapses; the schedule then ends the turn as failed, saying why (stranded-turn-starts.ts),
 * instead of leaving the run "running" for ever.
 */
export const TURN_DISPATCH_LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;

export function dispatchingTurnStart(now: Date): NonNullable<TRun["turnStart"]> {
  return { phase: "dispatching", until: new Date(now.getTime() + TURN_DISPATCH_LEASE_MS).toISOString() };
}

/** Renews the lease on `turn`'s start while this process works on it; the returned function stops renewing. */
export function holdTurnDispatch(store: Store, workspaceId: string, runId: string, turn: number): () => void {
  const renew = setInterval(() => {
    runStore(store)
      .update(workspaceId, runId, (run) =>
        run.lastTurn?.turn === turn && run.lastTurn.endedAt === null && run.turnStart?.phase === "dispatching" ? { ...run, turnStart: dispatchingTurnStart(new Date()) } : undefined,
      )
      .catch((error: unknown) => log.warn("run.turn_dispatch_renew_failed", { runId, turn, error }));
  }, RENEW_EVERY_MS);
  renew.unref();
  return () => clearInterval(renew);
}

/** The sidecar took `turn`: its start is acknowledged (nothing if the turn ended meanwhile). */
export async function acknowledgeTurnStart(store: Store, workspaceId: string, runId: string, turn: number): Promise<void> {
  await runStore(store).update(workspaceId, runId, (run) =>
    run.lastTurn?.turn === turn && run.lastTurn.endedAt === null && run.turnStart?.phase === "dispatching"
      ? { ...run, turnStart: { phase: "acknowledged", until: null }, updatedAt: new Date().toISOString() }
      : undefined,
  );
}
