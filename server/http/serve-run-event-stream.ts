import { ZRunId } from "@/prisma-free-schema";
import { authenticateRequest } from "../auth/request-actor";
import { AppError, HTTP_STATUS_FOR } from "../errors";
import { isDraining } from "../graceful-stop";
import type { Store } from "../store/store";
import { cookieSessionId, HEARTBEAT_MS as LEASE_HEARTBEAT_MS, holdStreamLease, mayStillStream, principalOf, type StreamLease, StreamLimitError } from "../services/limits/stream-leases";
import { readableRunWorkspace } from "../services/runs/readable-run-workspace";
import { RunEventBody } from "../services/events/run-event-body";
import type { RunEventBus } from "../services/events/run-event-bus";
import { sseComment } from "../services/events/run-event-frame";
import type { FanoutTuning } from "../services/events/run-fanout";

const NO_STORE = { "cache-control": "no-store" };
/** Unknown run and someone else's run get this, byte for byte. */
export const RUN_NOT_FOUND_BODY = JSON.stringify({ error: "not_found", message: "Run was not found." });
const CURSOR = /^\d{1,15}$/;
export const HEARTBEAT_MS = 15_000;
const CONNECTED = sseComment("connected");
const KEEP_ALIVE = sseComment("keep-alive");

function json(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status, headers: NO_STORE });
}

export interface ServeRunEventStreamOptions {
  store: Store;
  bus?: RunEventBus;
  heartbeatMs?: number;
  /** How often the caller's right to read the run is checked again (with its slot's renewal). */
  accessCheckMs?: number;
  /** The run's fan-out, if this stream is the one that makes it (see run-fanout.ts). */
  stream?: Partial<FanoutTuning>;
  /** Bytes this stream may have buffered before it stops being written live and catches up from the store. */
  bufferBytes?: number;
}

/**
 * GET /api/runs/:runId/events: a run's events as server-sent events, from the cursor in
 * `Last-Event-ID` (what EventSource sends on reconnect) or `?cursor=N`, then live. Authenticated
 * like /api/trpc; members of the run's workspace may stream, anyone else gets the unknown-run 404.
 * That is checked again at every renewal of the stream's slot: once the cookie's session has
 * ended, the token is revoked or expired, or the caller is no longer a member, the stream closes.
 * Live events reach it through the run's fan-out (one encode, one shared chunk for every stream
 * of the run); a client too slow to take them is not buffered for: its stream falls behind the
 * live edge and catches up from the store, without holding up the other streams.
 */
export async function serveRunEventStream(request: Request, rawRunId: string, options: ServeRunEventStreamOptions): Promise<Response> {
  const { store } = options;
  // Stopping: the client is sent to try again in a moment, which reaches the next revision.
  if (isDraining()) return Response.json({ error: "stopping", message: "This server is stopping; connect again." }, { status: 503, headers: { ...NO_STORE, "retry-after": "1" } });
  const runId = ZRunId.safeParse(rawRunId);
  if (!runId.success) return json(400, "bad_request", "That is not a run id (run_…).");
  const rawCursor = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("cursor") ?? "0";
  if (!CURSOR.test(rawCursor.trim())) return json(400, "bad_request", "The cursor (Last-Event-ID or ?cursor=) must be an event seq: a whole number ≥ 0.");
  const afterSeq = Number(rawCursor.trim());

  const { actor, bearerRejected } = await authenticateRequest(request, store);
  if (!actor) return json(401, "unauthorized", bearerRejected ? "The API token is not valid: it is unknown, expired or revoked." : "Sign in to continue.");
  let workspaceId: string;
  try {
    workspaceId = await readableRunWorkspace({ store, actor, runId: runId.data });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return new Response(RUN_NOT_FOUND_BODY, { status: 404, headers: { ...NO_STORE, "content-type": "application/json" } });
    if (error instanceof AppError) return json(HTTP_STATUS_FOR[error.code], "refused", error.message);
    throw error;
  }

  // For a cookie, the session it names: the one followed while the stream is open.
  const sessionId = actor.kind === "user" ? await cookieSessionId(request.headers, actor.userId) : undefined;
  let events: RunEventBody | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  // One of the caller's stream slots (MAX_EVENT_STREAMS_PER_PRINCIPAL), held while this stream is open.
  let lease: StreamLease;
  try {
    lease = await holdStreamLease(store, {
      principal: principalOf(actor),
      runId: runId.data,
      signal: request.signal,
      // The slot taken over, or the caller no longer allowed: the stream ends now, not at the next event.
      onLost: () => finish(),
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
  /** Ends the stream (what is buffered still goes out) and lets go of its slot; safe to call more than once. */
  function finish() {
    void lease.release();
    clearInterval(heartbeat);
    request.signal.removeEventListener("abort", finish);
    events?.close();
  }
  // The client going away (request.signal) and the body being cancelled (onEnd) both end the stream.
  request.signal.addEventListener("abort", finish, { once: true });
  events = new RunEventBody({ store, runId: runId.data, afterSeq, bus: options.bus, tuning: options.stream, bufferBytes: options.bufferBytes, greeting: CONNECTED, onEnd: finish });
  const body = events.body;
  heartbeat = setInterval(() => {
    if (!events.comment(KEEP_ALIVE)) finish();
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  if (request.signal.aborted) finish();

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // Tells nginx-style proxies not to hold the stream back in a buffer.
      "x-accel-buffering": "no",
    },
  });
}
