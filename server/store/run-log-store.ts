import type { JSONObject, OperationInput } from "@azure/cosmos";
import {
  CONTAINERS,
  RUN_PROGRESS_ID,
  runEventsDocumentId,
  runTurnDocumentId,
  type TRunEvent,
  type TRunEventsDocument,
  type TRunProgress,
  type TRunTurnDocument,
  ZLegacyRunEventDocument,
  ZRunEventsDocument,
  ZRunProgress,
  ZRunTurnDocument,
} from "@/prisma-free-schema";
import { RecentCopies } from "../recent-copies";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

function toEvent({ id: _id, etag: _etag, ...event }: WithEtag<TRunEvent & { id: string }>): TRunEvent {
  return event as TRunEvent;
}

/**
 * What one transactional batch of events may hold: Cosmos DB allows 100 operations (one is the
 * progress marker, each contiguous range of seqs is one more) and 2 MB of request (the SDK does
 * not say which limit a refused batch broke, so it is kept to here, with room to spare for the
 * documents around the events).
 */
export const TRANSACTION_LIMITS = { ranges: 99, bytes: 1_500_000 } as const;
/** Range documents read per query while collecting a page of events: two first (most pages are in one or two), then more. */
const MAX_RANGES_PER_READ = 16;

/**
 * Per run, a seq past which it has no event stored one document per event (the layout before
 * ranges, never written any more), so reading past it skips that query. A fact that cannot
 * change once true, so this process may keep it; bounded, oldest forgotten first.
 */
const legacyFreeAbove = new RecentCopies<number>(Number.POSITIVE_INFINITY);
function noteLegacyFree(runId: string, afterSeq: number): void {
  const known = legacyFreeAbove.get(runId);
  if (known === undefined || afterSeq < known) legacyFreeAbove.keep(runId, afterSeq, Date.now());
}

/**
 * How many of `events` (sorted by seq, none stored yet) one transactional batch takes: at least
 * one, and as many more as fit TRANSACTION_LIMITS. `bytesOf` gives an event's size as JSON, or
 * more (the caller may have it encoded already).
 */
export function eventsInOneTransaction(events: readonly TRunEvent[], bytesOf: (event: TRunEvent) => number): number {
  let ranges = 0;
  let bytes = 0;
  for (let i = 0; i < events.length; i += 1) {
    const startsRange = i === 0 || events[i]!.seq !== events[i - 1]!.seq + 1;
    bytes += bytesOf(events[i]!);
    if (i > 0 && ((startsRange && ranges === TRANSACTION_LIMITS.ranges) || bytes > TRANSACTION_LIMITS.bytes)) return i;
    if (startsRange) ranges += 1;
  }
  return events.length;
}

/** `events` (sorted by seq) as documents, one per contiguous range. */
function rangeDocuments(runId: string, events: readonly TRunEvent[]): TRunEventsDocument[] {
  const documents: TRunEventsDocument[] = [];
  let current: TRunEvent[] = [];
  const close = () => {
    if (current.length === 0) return;
    const first = current[0]!.seq;
    const turnsEnded = current.filter((event) => event.kind === "turn.ended").map((event) => event.turn);
    documents.push({ id: runEventsDocumentId(first), type: "events", runId, firstSeq: first, lastSeq: current.at(-1)!.seq, turnsEnded, events: current });
    current = [];
  };
  for (const event of events) {
    if (current.length > 0 && event.seq !== current.at(-1)!.seq + 1) close();
    current.push(event);
  }
  close();
  return documents;
}

/** A run's log (run-log.ts): its events, turns and progress marker, all in the run's partition. */
export function runLogStore(store: Store) {
  const ranges = new DocumentCollection(store, CONTAINERS.runEvents, ZRunEventsDocument, {
    exists: "These events are already stored.",
    changed: "Run events are never changed.",
  });
  const legacyEvents = new DocumentCollection(store, CONTAINERS.runEvents, ZLegacyRunEventDocument, {
    exists: "This event is already stored.",
    changed: "Run events are never changed.",
  });
  const turns = new DocumentCollection(store, CONTAINERS.runEvents, ZRunTurnDocument, {
    exists: "This turn is already recorded.",
    changed: "This turn was changed by someone else. Reload and try again.",
  });
  const progress = new DocumentCollection(store, CONTAINERS.runEvents, ZRunProgress, {
    exists: "Another write stored events of this run first.",
    changed: "Another write stored events of this run first.",
  });

  return {
    /**
     * Up to `limit` events with seq > `afterSeq`, in seq order: exactly `limit` when that many are
     * stored (callers read fewer as "the end"), so every query's pages are followed by their
     * continuation, never judged by their length (Azure ends a page early past 4 MB).
     */
    listEvents: async (runId: string, afterSeq: number, limit: number): Promise<TRunEvent[]> => {
      const parameters = [{ name: "@after", value: afterSeq }];
      const fromRanges = async () => {
        // Ranges never overlap, so in order of their first seq they are in order of every seq.
        const found: TRunEvent[] = [];
        let cursor: string | undefined;
        let perRead = 2;
        do {
          const page = await ranges.query("SELECT * FROM c WHERE c.type = 'events' AND c.lastSeq > @after ORDER BY c.firstSeq ASC", parameters, { partitionKey: runId, limit: perRead, cursor });
          for (const range of page.items) for (const event of range.events) if (event.seq > afterSeq) found.push(event);
          cursor = page.cursor;
          perRead = Math.min(perRead * 2, MAX_RANGES_PER_READ);
        } while (cursor && found.length < limit);
        return found;
      };
      const fromLegacy = async () => {
        if (afterSeq >= (legacyFreeAbove.get(runId) ?? Number.POSITIVE_INFINITY)) return [];
        // Turns, ranges and the marker have no top-level seq, so `c.seq > @after` never matches them.
        const found: TRunEvent[] = [];
        let cursor: string | undefined;
        do {
          const page = await legacyEvents.query("SELECT * FROM c WHERE c.seq > @after ORDER BY c.seq ASC", parameters, { partitionKey: runId, limit: limit - found.length, cursor });
          found.push(...page.items.map(toEvent));
          cursor = page.cursor;
        } while (cursor && found.length < limit);
        if (found.length === 0) noteLegacyFree(runId, afterSeq);
        return found;
      };
      const [inRanges, legacy] = await Promise.all([fromRanges(), fromLegacy()]);
      if (legacy.length === 0) return inRanges.slice(0, limit);
      return [...inRanges, ...legacy].sort((a, b) => a.seq - b.seq).slice(0, limit);
    },

    progress: (runId: string) => progress.read(RUN_PROGRESS_ID, runId),

    /** The stored `turn.ended` of one turn, if any. */
    turnEnd: async (runId: string, turn: number): Promise<TRunEvent | undefined> => {
      const parameters = [{ name: "@turn", value: turn }];
      const [[range], [legacy]] = await Promise.all([
        ranges.queryAll("SELECT * FROM c WHERE c.type = 'events' AND ARRAY_CONTAINS(c.turnsEnded, @turn)", parameters, { partitionKey: runId }),
        legacyEvents.queryAll("SELECT * FROM c WHERE c.kind = 'turn.ended' AND c.turn = @turn", parameters, { partitionKey: runId }),
      ]);
      return range?.events.find((event) => event.kind === "turn.ended" && event.turn === turn) ?? (legacy && toEvent(legacy));
    },

    /**
     * Stores `newEvents` (sorted by seq, none stored yet, within eventsInOneTransaction) as one
     * document per contiguous range and moves the progress marker from `before` (as read, with
     * its etag; undefined when the run has none yet) to `after`, as one transactional batch. A
     * CONFLICT when another write moved the marker first: nothing is stored, read the marker
     * again and retry.
     */
    storeEvents: async (before: WithEtag<TRunProgress> | undefined, newEvents: TRunEvent[], after: TRunProgress): Promise<WithEtag<TRunProgress>> => {
      const marker = ZRunProgress.parse(after);
      // Already validated (appendRunEvents parses what comes in): stored as they are.
      const operations: OperationInput[] = rangeDocuments(after.runId, newEvents).map((range) => ({ operationType: "Create", resourceBody: range as unknown as JSONObject }));
      if (operations.length > TRANSACTION_LIMITS.ranges) throw new Error(`at most ${TRANSACTION_LIMITS.ranges} ranges of events in one transaction`);
      operations.push(
        before
          ? { operationType: "Replace", id: RUN_PROGRESS_ID, resourceBody: marker, ifMatch: before.etag }
          : { operationType: "Create", resourceBody: marker },
      );
      // The answer without the documents (they are what we sent); the marker's new etag is in it.
      const results = await ranges.batch(after.runId, operations, { withDocuments: false });
      return { ...marker, etag: results.at(-1)?.eTag ?? "" };
    },

    /** Replaces the marker on its etag (no events with it); a CONFLICT when it moved meanwhile. */
    replaceProgress: (before: WithEtag<TRunProgress>, after: TRunProgress) => progress.replace(after, before.etag, after.runId),

    /** Runs whose events have a hole the sidecar still owes (across every run: the periodic sweep). */
    progressWithHoles: () => progress.queryAll("SELECT * FROM c WHERE c.type = 'progress' AND c.hasHoles = true", []),

    createTurn: (turn: TRunTurnDocument) => turns.create(turn),
    turn: (runId: string, turn: number) => turns.read(runTurnDocumentId(turn), runId),
    /** Every turn of the run, in order. */
    turns: async (runId: string): Promise<TRunTurnDocument[]> =>
      (await turns.queryAll("SELECT * FROM c WHERE c.type = 'turn' ORDER BY c.turn ASC", [], { partitionKey: runId })).map(({ etag: _etag, ...turn }) => turn),
    /** Read-change-replace on the turn's etag; undefined when there is no such turn. */
    updateTurn: async (runId: string, turn: number, change: (current: TRunTurnDocument) => TRunTurnDocument | undefined) => {
      const result = await turns.update(runTurnDocumentId(turn), runId, change);
      return result && (result.after ?? result.before);
    },
  };
}
