import type { TRunEvent } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { RunEventFeed } from "../events/run-event-feed";
import { cookieSessionId, HEARTBEAT_MS, holdStreamLease, mayStillStream, principalOf } from "./stream-leases";

/**
 * The `runs.events` subscription's stream, holding one of the caller's stream slots for as long
 * as it is open (the same cap as the SSE route). The slot is taken before the first event, so a
 * caller over the cap gets a StreamLimitError (TOO_MANY_REQUESTS, with the seconds to wait)
 * instead of a stream. Like the SSE route, it checks at every
 * renewal of its slot (`accessCheckMs`, HEARTBEAT_MS unless a test shortens it) that the caller
 * may still read the run, and finishes when not: an ended session, a revoked token, a removed member.
 */
export async function leasedRunEvents(options: {
  store: Store;
  actor: Actor;
  runId: string;
  afterSeq: number;
  signal: AbortSignal | undefined;
  accessCheckMs?: number;
}): Promise<AsyncGenerator<TRunEvent, void, undefined>> {
  const { store, actor, runId, afterSeq } = options;
  const workspaceId = await runStore(store).workspaceOf(runId);
  if (!workspaceId) throw notFound("Run");
  const sessionId = actor.kind === "user" ? await requestSessionId(actor.userId) : undefined;
  const ended = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ended.signal]) : ended.signal;
  const held = await holdStreamLease(store, {
    principal: principalOf(actor),
    runId,
    signal,
    onLost: () => ended.abort(),
    stillAllowed: () => mayStillStream(store, { actor, workspaceId, sessionId }),
    heartbeatMs: options.accessCheckMs ?? HEARTBEAT_MS,
  });
  // Through the run's fan-out, as the SSE route's streams are: one source per run, whatever the number of subscribers.
  const feed = new RunEventFeed({ store, runId, afterSeq });
  const close = () => feed.close();
  signal.addEventListener("abort", close, { once: true });
  if (signal.aborted) close();
  return (async function* () {
    try {
      yield* feed;
    } finally {
      signal.removeEventListener("abort", close);
      feed.close();
      ended.abort();
      await held.release();
    }
  })();
}

/**
 * The session of the /api/trpc request this subscription runs in (its cookie, read through
 * next/headers); undefined outside a request (a caller built in code), which has no cookie.
 */
async function requestSessionId(userId: string): Promise<string | null | undefined> {
  let headers: Headers;
  try {
    const { headers: requestHeaders } = await import("next/headers");
    headers = new Headers(await requestHeaders());
  } catch {
    return undefined;
  }
  return cookieSessionId(headers, userId);
}
