import { type TRunEvent, ZRunId } from "@/prisma-free-schema";
import { authenticateRequest } from "../../auth/request-actor";
import { AppError, HTTP_STATUS_FOR } from "../../errors";
import { log } from "../../log";
import type { Store } from "../../store/store";
import { cookieSessionId, HEARTBEAT_MS as LEASE_HEARTBEAT_MS, holdStreamLease, mayStillStream, principalOf, type StreamLease, StreamLimitError } from "../limits/stream-leases";
import { findReadableRun } from "../runs/find-readable-run";
import type { RunEventBus } from "./run-event-bus";
import { streamRunEvents, type StreamRunEventsOptions } from "./stream-run-events";

const NO_STORE = { "cache-control": "no-store" };
/** Unknown run and someone else's run get this, byte for byte. */
export const RUN_NOT_FOUND_BODY = JSON.stringify({ error: "not_found", message: "Run was not found." });
const CURSOR = /^\d{1,15}$/;
export const HEARTBEAT_MS = 15_000;

function json(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status, headers: NO_STORE });
}

/**
 * An event's SSE frame, encoded once: the bus hands the same event object to every open stream
 * of the run, so with a thousand watchers this is one JSON.stringify and one encode, not a thousand.
 */
const frames = new WeakMap<TRunEvent, Uint8Array>();
const encoder = new TextEncoder();
function frame(event: TRunEvent): Uint8Array {
  let bytes = frames.get(event);
  if (!bytes) {
    bytes = encoder.encode(`id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`);
    frames.set(event, bytes);
  }
  return bytes;
}

export interface ServeRunEventStreamOptions {
  store: Store;
  bus?: RunEventBus;
  heartbeatMs?: number;
  /** How often the caller's right to read the run is checked again (with its slot's renewal). */
  accessCheckMs?: number;
  stream?: Pick<StreamRunEventsOptions, "queueCap" | "pageSize" | "gapWaitMs">;
}

/**
 * GET /api/runs/:runId/events: a run's events as server-sent events, from the cursor in
 * `Last-Event-ID` (what EventSource sends on reconnect) or `?cursor=N`, then live. Authenticated
 * like /api/trpc; members of the run's workspace may stream, anyone else gets the unknown-run 404.
 * That is checked again at every renewal of the stream's slot: once the cookie's session has
 * ended, the token is revoked or expired, or the caller is no longer a member, the stream closes.
 * The body is pulled: a slow client is not buffered for, its stream falls back to the store.
 */
export async function serveRunEventStream(request: Request, rawRunId: string, options: ServeRunEventStreamOptions): Promise<Response> {
  const { store } = options;
  const runId = ZRunId.safeParse(rawRunId);
  if (!runId.success) return json(400, "bad_request", "That is not a run id (run_…).");
  const rawCursor = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("cursor") ?? "0";
  if (!CURSOR.test(rawCursor.trim())) return json(400, "bad_request", "The cursor (Last-Event-ID or ?cursor=) must be an event seq: a whole number ≥ 0.");
  const afterSeq = Number(rawCursor.trim());

  const { actor, bearerRejected } = await authenticateRequest(request, store);
  if (!actor) return json(401, "unauthorized", bearerRejected ? "The API token is not valid: it is unknown, expired or revoked." : "Sign in to continue.");
  let workspaceId: string;
  try {
    workspaceId = (await findReadableRun({ store, actor, runId: runId.data })).workspaceId;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return new Response(RUN_NOT_FOUND_BODY, { status: 404, headers: { ...NO_STORE, "content-type": "application/json" } });
    if (error instanceof AppError) return json(HTTP_STATUS_FOR[error.code], "refused", error.message);
    throw error;
  }

  // For a cookie, the session it names: the one followed while the stream is open.
  const sessionId = actor.kind === "user" ? await cookieSessionId(request.headers, actor.userId) : undefined;
  const abort = new AbortController();
  const stop = () => abort.abort();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let pulling = false;
  // One of the caller's stream slots (MAX_EVENT_STREAMS_PER_PRINCIPAL), held while this stream is open.
  let lease: StreamLease;
  try {
    lease = await holdStreamLease(store, {
      principal: principalOf(actor),
      runId: runId.data,
      signal: request.signal,
      // The slot taken over, or the caller no longer allowed: the stream ends now, not at the next event.
      onLost: () => {
        finish();
        if (!pulling) closeBody();
      },
      stillAllowed: () => mayStillStream(store, { actor, workspaceId, sessionId }),
      heartbeatMs: options.accessCheckMs ?? LEASE_HEARTBEAT_MS,
    });
  } catch (error) {
    if (!(error instanceof StreamLimitError)) throw error;
    return Response.json(
      { error: "too_many_streams", message: error.message },
      { status: 429, headers: { ...NO_STORE, "retry-after": String(error.retryAfterSeconds) } },
    );
  }
  // The client going away (request.signal) and the body being cancelled both end the stream.
  request.signal.addEventListener("abort", stop, { once: true });
  const events = streamRunEvents({ store, runId: runId.data, afterSeq, signal: abort.signal, bus: options.bus, ...options.stream });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  function finish() {
    void lease.release();
    clearInterval(heartbeat);
    request.signal.removeEventListener("abort", stop);
    abort.abort();
  }
  function closeBody() {
    try {
      controller?.close();
    } catch {
      // Already closed, or cancelled by the client: nothing left to close.
    }
  }

  const body = new ReadableStream<Uint8Array>(
    {
      start(started) {
        controller = started;
        started.enqueue(encoder.encode(": connected\n\n"));
        heartbeat = setInterval(() => {
          try {
            started.enqueue(encoder.encode(": keep-alive\n\n"));
          } catch {
            finish();
          }
        }, options.heartbeatMs ?? HEARTBEAT_MS);
      },
      async pull(controller) {
        pulling = true;
        try {
          const next = await events.next();
          if (next.done) {
            finish();
            closeBody();
          } else {
            controller.enqueue(frame(next.value));
          }
        } catch (error) {
          log.error("run_events.stream_failed", { runId: runId.data, error });
          finish();
          controller.error(error);
        } finally {
          pulling = false;
        }
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 8 },
  );

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // Tells nginx-style proxies not to hold the stream back in a buffer.
      "x-accel-buffering": "no",
    },
  });
}
