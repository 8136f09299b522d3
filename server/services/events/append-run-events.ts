import { z } from "zod";
import { runTurnDocumentId, type TRun, type TRunEvent, type TRunProgress, ZRunEvent } from "@/prisma-free-schema";
import { AppError, notFound } from "../../errors";
import { log } from "../../log";
import type { WithEtag } from "../../store/documents";
import { eventsInOneTransaction, runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { recordTurnEnd, withTurnEnded } from "../runs/run-turns";
import { getRunEventBus, type RunEventBus } from "./run-event-bus";
import { runEventFrame } from "./run-event-frame";
import { emptyProgress, highestSeq, holes, isStored, type SeqRange, withStored } from "./run-progress";
import { forgetProgress, knownProgress, rememberProgress, serially } from "./run-progress-cache";

export type { SeqRange } from "./run-progress";

export interface AppendResult {
  stored: number;
  /** Not stored by this append: already stored (a replay, never duplicated), or held back past too many holes. */
  skipped: number;
  /** Every event 1..contiguousSeq is stored. */
  contiguousSeq: number;
  /** The run's highest stored seq after this append. */
  lastSeq: number;
  /** Seqs above the watermark that are not stored while later ones are: what to ask the sidecar to replay. */
  missing: SeqRange[];
}

const ZEvents = z.array(ZRunEvent).max(10_000);
/**
 * At most this many separate runs of events stored past a hole. A real sidecar leaves a few (a
 * batch lost with a connection); events scattered wider than this (only a sidecar that numbers
 * them oddly on purpose could) are not stored until the holes below them are filled, so the
 * marker stays small. They stay in the sidecar's log and are asked for again like any hole.
 */
export const MAX_STORED_RANGES_ABOVE = 1_000;
/** A marker moved by another writer between our read and our batch: read it again and retry, this often. */
const STORE_ATTEMPTS = 8;

/**
 * Stores a sidecar's events for one run: each transactional batch holds the new events (one
 * document per contiguous range) and the run's progress marker (run-log.ts), so one sidecar batch
 * is one store round trip and the marker never disagrees with what is stored. Idempotent on (run, seq): events the marker shows
 * stored are skipped. Each newly stored event is then published to the run's live streams, in
 * seq order.
 *
 * A turn's start or end changes the run document too, once its events are stored: whoever sees
 * the run idle finds the turn's end among its events. A crash in between leaves a run "running"
 * with its turn's end stored; the periodic pass finds it (settleEndedTurn) and applies it.
 *
 * This entry point validates `events` first (up to 10,000), for callers holding unchecked input;
 * the channel's handler has parsed its batch already and calls storeRunEvents.
 */
export async function appendRunEvents(options: AppendOptions & { events: unknown[] }): Promise<AppendResult> {
  const parsed = ZEvents.safeParse(options.events);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `Run events are not valid: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return storeRunEvents({ ...options, events: parsed.data });
}

interface AppendOptions {
  store: Store;
  workspaceId: string;
  runId: string;
  bus?: RunEventBus;
  /** The run as the caller read it (a moment ago, perhaps), to save a read. */
  run?: WithEtag<TRun>;
}

/** appendRunEvents for events the caller has already validated (the channel handler parses each batch once). */
export async function storeRunEvents(options: AppendOptions & { events: TRunEvent[] }): Promise<AppendResult> {
  const { store, workspaceId, runId, bus = getRunEventBus() } = options;
  const events = [...new Map(options.events.map((event) => [event.seq, event])).values()].sort((a, b) => a.seq - b.seq);
  if (events.some((event) => event.runId !== runId)) throw new AppError("BAD_REQUEST", `Every event must belong to run ${runId}.`);
  const run = options.run ?? (await runStore(store).get(workspaceId, runId));
  if (!run) throw notFound("Run");

  // One append of a run at a time in this process, so its writes rarely race; the marker's etag makes it safe when they do.
  return serially(runId, async () => {
    let progress = knownProgress(runId) ?? (await runLogStore(store).progress(runId));
    let fresh = events.filter((event) => !isStored(progress ?? emptyProgress(runId, workspaceId), event.seq));

    const stored: TRunEvent[] = [];
    let conflicts = 0;
    while (fresh.length > 0) {
      // Sized by each event's SSE frame (its JSON and a few bytes more), which its live streams send as they are.
      const chunk = fresh.slice(0, eventsInOneTransaction(fresh, (event) => runEventFrame(event).byteLength));
      try {
        const next = withStored(progress ?? emptyProgress(runId, workspaceId), chunk.map((event) => event.seq));
        if (next.storedAbove.length > MAX_STORED_RANGES_ABOVE) {
          log.warn("run.events_too_scattered", { runId, fromSeq: chunk[0]!.seq, count: fresh.length, ranges: next.storedAbove.length });
          break;
        }
        progress = await runLogStore(store).storeEvents(progress, chunk, next);
        rememberProgress(progress);
        stored.push(...chunk);
        fresh = fresh.slice(chunk.length);
      } catch (error) {
        forgetProgress(runId);
        // Someone else moved the marker (a replay racing the live stream, or another process): read it again.
        if (!(error instanceof AppError && error.code === "CONFLICT") || ++conflicts >= STORE_ATTEMPTS) throw error;
        progress = await runLogStore(store).progress(runId);
        fresh = fresh.filter((event) => !isStored(progress ?? emptyProgress(runId, workspaceId), event.seq));
      }
    }
    try {
      await recordTurnBoundaries(store, run, stored);
    } finally {
      // Stored is stored: live streams get the events even when the run could not be told (the periodic pass settles it).
      bus.publish(stored);
    }

    const now: TRunProgress = progress ?? emptyProgress(runId, workspaceId);
    return { stored: stored.length, skipped: events.length - stored.length, contiguousSeq: now.contiguousSeq, lastSeq: highestSeq(now), missing: holes(now) };
  });
}

/** The run's side of turns starting and ending in these (just stored) events; idempotent. */
export async function recordTurnBoundaries(store: Store, known: WithEtag<TRun>, events: TRunEvent[]): Promise<void> {
  const boundaries = events.filter((event) => event.kind === "turn.started" || event.kind === "turn.ended");
  if (boundaries.length === 0) return;
  // Read afresh, not from `known`: the caller's copy may be a moment old, and a change that looks
  // like nothing on an old copy would never be written.
  const result = await runStore(store).update(known.workspaceId, known.id, (run) => applyTurnEvents(run, boundaries));
  const log = runLogStore(store);
  for (const event of boundaries) {
    if (event.kind === "turn.started") {
      // Normally saved when the person sent the turn; a sidecar's own turn (after a move) is saved here.
      if (!(await log.turn(event.runId, event.turn))) {
        await log.createTurn({ id: runTurnDocumentId(event.turn), type: "turn", runId: event.runId, workspaceId: known.workspaceId, turn: event.turn, input: event.input, startedAt: event.at, endedAt: null, outcome: null }).catch(ignoreConflict);
      }
    } else if (event.kind === "turn.ended" && result?.lastTurn?.turn === event.turn) {
      await recordTurnEnd(store, event.runId, result.lastTurn);
    } else if (event.kind === "turn.ended") {
      await recordTurnEnd(store, event.runId, { turn: event.turn, startedAt: event.at, endedAt: event.at, outcome: event.outcome });
    }
  }
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
}

/** The run with these turn boundaries applied; undefined when they change nothing. */
function applyTurnEvents(run: TRun, events: TRunEvent[]): TRun | undefined {
  let next = run;
  for (const event of events) {
    if (event.kind === "turn.started" && event.turn > next.turnCount) {
      const status = next.status === "starting" || next.status === "idle" ? "running" : next.status;
      next = { ...next, turnCount: event.turn, lastTurn: { turn: event.turn, startedAt: event.at, endedAt: null, outcome: null }, status, updatedAt: new Date().toISOString() };
    }
    // The sidecar took the turn the platform was handing it: its start is acknowledged.
    if (event.kind === "turn.started" && event.turn === next.lastTurn?.turn && next.turnStart && next.turnStart.phase !== "acknowledged") {
      next = { ...next, turnStart: { ...next.turnStart, phase: "acknowledged", until: null, holder: null, lastError: null }, updatedAt: new Date().toISOString() };
    }
    if (event.kind === "turn.ended") next = withTurnEnded(next, event.turn, event.outcome, event.at) ?? next;
  }
  return next === run ? undefined : next;
}
