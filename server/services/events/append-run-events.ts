import { z } from "zod";
import { type TRun, type TRunEvent, ZRunEvent } from "@/prisma-free-schema";
import { AppError, notFound } from "../../errors";
import type { WithEtag } from "../../store/documents";
import { runEventStore } from "../../store/run-event-store";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { getRunEventBus, type RunEventBus } from "./run-event-bus";

/** A run of seqs the sidecar still owes; ask it to replay `afterSeq: fromSeq - 1`. */
export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

export interface AppendResult {
  stored: number;
  /** Already stored (a replay): skipped, never duplicated. */
  skipped: number;
  /** The run's highest stored seq after this append. */
  lastSeq: number;
  /** Seqs above the run's lastSeq before this append that neither it nor this batch holds. */
  missing: SeqRange[];
}

const ZEvents = z.array(ZRunEvent).max(10_000);

/**
 * Stores a sidecar's events for one run, idempotently on (run, seq), and publishes each newly
 * stored one to the run's live streams. Events are stored in seq order, one at a time, so the
 * bus sees them in the order the store does. The run's bookkeeping (lastSeq, turns) is applied
 * from every event in the batch, stored now or before, so a crash between storing an event and
 * updating the run heals on the sidecar's replay.
 */
export async function appendRunEvents(options: {
  store: Store;
  workspaceId: string;
  runId: string;
  events: unknown[];
  bus?: RunEventBus;
  /** The run as the caller has just read it, to save a read. */
  run?: WithEtag<TRun>;
}): Promise<AppendResult> {
  const { store, workspaceId, runId, bus = getRunEventBus() } = options;
  const parsed = ZEvents.safeParse(options.events);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `Run events are not valid: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  const events = [...new Map(parsed.data.map((event) => [event.seq, event])).values()].sort((a, b) => a.seq - b.seq);
  if (events.some((event) => event.runId !== runId)) throw new AppError("BAD_REQUEST", `Every event must belong to run ${runId}.`);

  const runs = runStore(store);
  const run = options.run ?? (await runs.get(workspaceId, runId));
  if (!run) throw notFound("Run");

  const eventStore = runEventStore(store);
  let stored = 0;
  for (const event of events) {
    if (!(await eventStore.put(event))) continue;
    stored += 1;
    bus.publish(event);
  }

  const updated = events.length ? await runs.update(workspaceId, runId, (current) => applyEvents(current, events), run) : run;
  return { stored, skipped: events.length - stored, lastSeq: updated?.lastSeq ?? run.lastSeq, missing: missingRanges(run.lastSeq, events) };
}

function missingRanges(lastSeq: number, events: TRunEvent[]): SeqRange[] {
  const missing: SeqRange[] = [];
  let expected = lastSeq + 1;
  for (const { seq } of events) {
    if (seq > expected) missing.push({ fromSeq: expected, toSeq: seq - 1 });
    expected = Math.max(expected, seq + 1);
  }
  return missing;
}

/** The run with these events' effects; undefined when they change nothing. Idempotent. */
function applyEvents(run: TRun, events: TRunEvent[]): TRun | undefined {
  const turns = run.turns.map((turn) => ({ ...turn }));
  let { status } = run;
  for (const event of events) {
    let turn = turns.find((candidate) => candidate.turn === event.turn);
    if (event.kind === "turn.started" && !turn) {
      turn = { turn: event.turn, input: event.input, startedAt: event.at, endedAt: null, outcome: null };
      turns.push(turn);
      turns.sort((a, b) => a.turn - b.turn);
      if (status === "starting" || status === "idle") status = "running";
    }
    if (event.kind === "turn.ended" && turn && turn.outcome === null) {
      turn.outcome = event.outcome;
      turn.endedAt = event.at;
      const latest = turns.at(-1)?.turn === event.turn;
      if (latest && status === "running") status = "idle";
    }
  }
  const lastSeq = Math.max(run.lastSeq, events.at(-1)?.seq ?? 0);
  const changed = lastSeq !== run.lastSeq || status !== run.status || JSON.stringify(turns) !== JSON.stringify(run.turns);
  return changed ? { ...run, turns, status, lastSeq, updatedAt: new Date().toISOString() } : undefined;
}
