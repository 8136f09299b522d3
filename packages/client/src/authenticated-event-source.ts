import { ErrorEvent, EventSource, type FetchLike, type FetchLikeResponse } from "eventsource";

/**
 * Node 20 has no EventSource, and the browser's sends no headers, so a subscription could not
 * carry the token. The `eventsource` package can fetch with headers; this one adds the bearer
 * token and turns every way a stream can fail to start into an error that says why:
 *
 * - the platform refused it with a tRPC error (bad token, unknown run, over the stream cap): the
 *   error reaches the subscription as tRPC's own `serialized-error` frame, so `error.data.code`
 *   and the message are the platform's, exactly as for a query;
 * - any other refusal (a proxy's 502 page): the status and the first words of the body;
 * - the platform cannot be reached at all on the first try: where we tried and what failed.
 *
 * Once a stream has been open, a dropped connection is retried as EventSource does (with
 * Last-Event-ID), so a platform restart costs a reconnect, not the subscription.
 */
export function authenticatedEventSource(token: string, fetchImpl: typeof fetch = fetch) {
  return class AuthenticatedEventSource extends EventSource {
    readonly #state: { why?: string };

    constructor(url: string | URL, init?: { withCredentials?: boolean }) {
      const state: { why?: string; connected?: boolean } = {};
      super(url, { ...init, fetch: explainingFetch(token, fetchImpl, state) });
      this.#state = state;
    }

    // The package's own ErrorEvent says only "Non-200 status code (502)"; ours says why.
    override dispatchEvent(event: Event): boolean {
      if (event.type === "error" && this.#state.why && !(event instanceof ExplainedError)) {
        return super.dispatchEvent(new ExplainedError("error", { message: this.#state.why, code: (event as ErrorEvent).code }));
      }
      return super.dispatchEvent(event);
    }
  };
}

class ExplainedError extends ErrorEvent {}

interface TrpcErrorEnvelope {
  error: { code: number; message: string; data?: unknown };
}

function isTrpcError(body: unknown): body is TrpcErrorEnvelope {
  const error = (body as Partial<TrpcErrorEnvelope> | null)?.error;
  return typeof error === "object" && error !== null && typeof error.code === "number" && typeof error.message === "string";
}

function explainingFetch(token: string, fetchImpl: typeof fetch, state: { why?: string; connected?: boolean }): FetchLike {
  return async (url, init) => {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } } as RequestInit);
    } catch (error) {
      if (state.connected || init.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      state.why = `Could not reach Disco Parrot at ${new URL(url).origin} (${cause?.code ?? cause?.message ?? (error as Error).message}): is the platform running, and is the URL right?`;
      return new Response(null, { status: 502 }) as FetchLikeResponse;
    }
    if (response.ok) {
      state.connected = true;
      state.why = undefined;
      return response as FetchLikeResponse;
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isTrpcError(body)) {
      // Handed to tRPC as the frame it sends for a refusal inside a stream: the error keeps its shape.
      return new Response(`event: serialized-error\ndata: ${JSON.stringify(body.error)}\n\n`, { status: 200, headers: { "content-type": "text/event-stream" } }) as FetchLikeResponse;
    }
    const said = typeof (body as { message?: unknown } | undefined)?.message === "string" ? (body as { message: string }).message : text.trim().slice(0, 200);
    state.why = `Disco Parrot refused the event stream (${response.status}${response.statusText ? ` ${response.statusText}` : ""})${said ? `: ${said}` : "."}`;
    return new Response(null, { status: response.status }) as FetchLikeResponse;
  };
}
