import { tracked } from "@trpc/server";
import type { Actor } from "../../auth/actor";
import type { Store } from "../../store/store";
import type { HttpOverride } from "../../trpc/context";
import { streamRunEvents } from "../events/stream-run-events";
import { holdStreamLease, principalOf, StreamLimitError } from "./stream-leases";

/**
 * The `runs.events` subscription's stream, holding one of the caller's stream slots for as long
 * as it is open (the same cap as the SSE route). The slot is taken before the first event, so a
 * caller over the cap gets TOO_MANY_REQUESTS — and, through `http`, an HTTP 429 with Retry-After
 * on the subscription's response — instead of a stream.
 */
export async function leasedRunEvents(options: { store: Store; actor: Actor; runId: string; afterSeq: number; signal: AbortSignal | undefined; http: HttpOverride | undefined }) {
  const { store, actor, runId, afterSeq } = options;
  const ended = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ended.signal]) : ended.signal;
  let lease;
  try {
    lease = await holdStreamLease(store, { principal: principalOf(actor), runId, signal, onLost: () => ended.abort() });
  } catch (error) {
    if (error instanceof StreamLimitError && options.http) {
      options.http.status = 429;
      options.http.headers["retry-after"] = String(error.retryAfterSeconds);
    }
    throw error;
  }
  const held = lease;
  return (async function* () {
    try {
      for await (const event of streamRunEvents({ store, runId, afterSeq, signal })) yield tracked(String(event.seq), event);
    } finally {
      ended.abort();
      await held.release();
    }
  })();
}
