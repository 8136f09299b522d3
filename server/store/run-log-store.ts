import type { JSONObject, OperationInput } from "@azure/cosmos";
import {
  CONTAINERS,
  RUN_PROGRESS_ID,
  runEventDocumentId,
  runTurnDocumentId,
  type TRunEvent,
  type TRunProgress,
  type TRunTurnDocument,
  ZRunEventDocument,
  ZRunProgress,
  ZRunTurnDocument,
} from "@/prisma-free-schema";
import { DocumentCollection, type WithEtag } from "./documents";
import type { Store } from "./store";

function toEvent({ id: _id, etag: _etag, ...event }: WithEtag<TRunEvent & { id: string }>): TRunEvent {
  return event as TRunEvent;
}

/** At most this many operations in one transactional batch (Cosmos DB's limit); one is the progress marker. */
export const EVENTS_PER_TRANSACTION = 99;

/** A run's log (run-log.ts): its events, turns and progress marker, all in the run's partition. */
export function runLogStore(store: Store) {
  const events = new DocumentCollection(store, CONTAINERS.runEvents, ZRunEventDocument, {
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
    /** Up to `limit` events with seq > `afterSeq`, in seq order. */
    listEvents: async (runId: string, afterSeq: number, limit: number): Promise<TRunEvent[]> => {
      // Turns and the progress marker have no seq, so `c.seq > @after` is undefined for them and they never match.
      const page = await events.query("SELECT * FROM c WHERE c.seq > @after ORDER BY c.seq ASC", [{ name: "@after", value: afterSeq }], {
        partitionKey: runId,
        limit,
      });
      return page.items.map(toEvent);
    },

    progress: (runId: string) => progress.read(RUN_PROGRESS_ID, runId),

    /** The stored `turn.ended` of one turn, if any. */
    turnEnd: async (runId: string, turn: number): Promise<TRunEvent | undefined> => {
      const [found] = await events.queryAll("SELECT * FROM c WHERE c.kind = 'turn.ended' AND c.turn = @turn", [{ name: "@turn", value: turn }], { partitionKey: runId });
      return found && toEvent(found);
    },

    /**
     * Stores `newEvents` (at most EVENTS_PER_TRANSACTION, none stored yet) and moves the progress
     * marker from `before` (as read, with its etag; undefined when the run has none yet) to `after`,
     * as one transactional batch. A CONFLICT when another write moved the marker first: nothing
     * is stored, read the marker again and retry.
     */
    storeEvents: async (before: WithEtag<TRunProgress> | undefined, newEvents: TRunEvent[], after: TRunProgress): Promise<WithEtag<TRunProgress>> => {
      if (newEvents.length > EVENTS_PER_TRANSACTION) throw new Error(`at most ${EVENTS_PER_TRANSACTION} events in one transaction`);
      const marker = ZRunProgress.parse(after);
      const operations: OperationInput[] = newEvents.map((event) => ({
        operationType: "Create",
        // Already validated (appendRunEvents parses what comes in): stored as is, with its id.
        resourceBody: { ...event, id: runEventDocumentId(event.seq) } as JSONObject,
      }));
      operations.push(
        before
          ? { operationType: "Replace", id: RUN_PROGRESS_ID, resourceBody: marker, ifMatch: before.etag }
          : { operationType: "Create", resourceBody: marker },
      );
      // The answer without the documents (they are what we sent); the marker's new etag is in it.
      const results = await events.batch(after.runId, operations, { withDocuments: false });
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
