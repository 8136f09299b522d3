import { runTurnDocumentId, type TRun, type TRunDetail, type TRunTurn, type TRunTurnSummary, type TTurnOutcome } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import type { WithEtag } from "../../store/documents";
import { runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { queuedTurnStart } from "./turn-start-lease";

/**
 * A run's turns. Each turn is a document of its own in the run's log (input and outcome), so the
 * run document stays small however long the conversation; the run keeps the newest turn's
 * summary (`lastTurn`), which is the truth for that turn's state: it is written first, under the
 * run's etag, and the turn's document follows.
 */

/** The run with turn `turnCount + 1` begun now (what the person sends), its start queued by `sender`; the input goes to `saveTurnInput`. */
export function withNewTurn(run: TRun, now: string, sender?: string): TRun {
  const turn = run.turnCount + 1;
  return { ...run, turnCount: turn, lastTurn: { turn, startedAt: now, endedAt: null, outcome: null }, status: "running", failure: null, turnStart: queuedTurnStart(sender, Date.parse(now)), updatedAt: now };
}

/**
 * Saves a turn's input and start as its own document, once the run has taken the turn. When that
 * fails the turn is ended as failed (saying why) before the error goes on: a run never waits on a
 * turn nothing will start.
 */
export async function saveTurnInput(store: Store, run: TRun, input: string): Promise<void> {
  const turn = run.lastTurn!;
  try {
    await runLogStore(store).createTurn({ id: runTurnDocumentId(turn.turn), type: "turn", runId: run.id, workspaceId: run.workspaceId, input, ...turn });
  } catch (error) {
    const now = new Date().toISOString();
    await runStore(store)
      .update(run.workspaceId, run.id, (current) => {
        const ended = withTurnEnded(current, turn.turn, "failed", now);
        return ended && { ...ended, status: "idle", failure: "The turn could not be saved; send it again." };
      })
      .catch(() => undefined);
    throw error;
  }
}

/** A turn's input among the run's turns; a PRECONDITION_FAILED when it was never saved (the platform stopped between the run and the turn). */
export function turnInputOf(turns: TRunTurn[], turn: number): string {
  const found = turns.find((candidate) => candidate.turn === turn);
  if (!found) throw new AppError("PRECONDITION_FAILED", "This turn's input was not saved (the platform restarted while it was being sent). Send it again.");
  return found.input;
}

/** The run's newest turn ended with `outcome` (by the platform or the sidecar); undefined when it had already ended. */
export function withTurnEnded(run: TRun, turn: number, outcome: TTurnOutcome, endedAt: string): TRun | undefined {
  if (run.lastTurn?.turn !== turn || run.lastTurn.endedAt !== null) return undefined;
  return { ...run, lastTurn: { ...run.lastTurn, outcome, endedAt }, status: run.status === "running" ? "idle" : run.status, turnStart: null, updatedAt: new Date().toISOString() };
}

/** Copies a turn's end onto its document (after the run has it); nothing when already there or not saved. */
export async function recordTurnEnd(store: Store, runId: string, ended: TRunTurnSummary): Promise<void> {
  await runLogStore(store).updateTurn(runId, ended.turn, (turn) =>
    turn.endedAt === null && ended.endedAt !== null ? { ...turn, endedAt: ended.endedAt, outcome: ended.outcome } : undefined,
  );
}

/** Every turn of the run, the newest as the run document says it is. */
export async function runTurns(store: Store, run: TRun): Promise<TRunTurn[]> {
  const turns = (await runLogStore(store).turns(run.id)).map(({ turn, input, startedAt, endedAt, outcome }) => ({ turn, input, startedAt, endedAt, outcome }));
  const last = run.lastTurn;
  return turns.map((turn) => (last && turn.turn === last.turn ? { ...turn, ...last } : turn));
}

/** The run as its page shows it: every turn, and the seq through which its events are all stored. */
export async function runDetail(store: Store, { etag: _etag, ...run }: WithEtag<TRun> | TRun & { etag?: string }): Promise<TRunDetail> {
  const [turns, progress] = await Promise.all([runTurns(store, run), runLogStore(store).progress(run.id)]);
  return { ...run, turns, lastSeq: progress?.contiguousSeq ?? 0 };
}
