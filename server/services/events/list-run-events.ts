import type { TRunEvent } from "@/prisma-free-schema";
import { runLogStore } from "../../store/run-log-store";
import type { Store } from "../../store/store";

export const MAX_EVENTS_PAGE = 500;

/** Up to `limit` of a run's stored events after `afterSeq`, in seq order. */
export function listRunEvents(options: { store: Store; runId: string; afterSeq: number; limit: number }): Promise<TRunEvent[]> {
  const limit = Math.max(1, Math.min(options.limit, MAX_EVENTS_PAGE));
  return runLogStore(options.store).listEvents(options.runId, Math.max(0, options.afterSeq), limit);
}
