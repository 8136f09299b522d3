import { z } from "zod";
import { CONTAINERS, runEventDocumentId, type TRunEvent, ZRunEvent } from "@/prisma-free-schema";
import { AppError } from "../errors";
import { DocumentCollection } from "./documents";
import type { Store } from "./store";

/** The stored shape: the event as the sidecar sent it, plus its id (the padded seq). */
const ZRunEventDocument = z.intersection(ZRunEvent, z.object({ id: z.string() }));

function toEvent({ id: _id, etag: _etag, ...event }: z.output<typeof ZRunEventDocument> & { etag: string }): TRunEvent {
  return event as TRunEvent;
}

export function runEventStore(store: Store) {
  const events = new DocumentCollection(store, CONTAINERS.runEvents, ZRunEventDocument, {
    exists: "This event is already stored.",
    changed: "Run events are never changed.",
  });
  return {
    /** Stores the event; false when an event with its (run, seq) is already stored (a replay). */
    put: async (event: TRunEvent): Promise<boolean> => {
      try {
        await events.create({ ...event, id: runEventDocumentId(event.seq) });
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === "CONFLICT") return false;
        throw error;
      }
    },
    /** Up to `limit` events with seq > `afterSeq`, in seq order. */
    list: async (runId: string, afterSeq: number, limit: number): Promise<TRunEvent[]> => {
      const page = await events.query("SELECT * FROM c WHERE c.seq > @after ORDER BY c.seq ASC", [{ name: "@after", value: afterSeq }], {
        partitionKey: runId,
        limit,
      });
      return page.items.map(toEvent);
    },
  };
}
