import { z } from "zod";
import { log } from "../../log";
import { type Payload, payloadFromUpstream, payloadToHttp } from "./hub-messages";
import { UpstreamClient, type UpstreamResponse } from "./upstream-http";

/**
 * CloudEvents from the hub to the platform's event handler (WEBPUBSUB.md §5): the abuse-protection
 * OPTIONS handshake once per handler URL, the blocking `connect` and user events, and the
 * non-blocking `connected`/`disconnected` notifications. Failures are logged and never escape:
 * a handler that is down must not take the hub with it.
 *
 * With no handler URL set, connections are accepted as if `connect` answered 204 and the system
 * events are skipped; a user event is answered with a failed ack instead, so the client SDK
 * retries it rather than believing the platform saw it.
 */
const EVENT_TIMEOUT_MS = 20_000;
const VALIDATION_TIMEOUT_MS = 10_000;
const MAX_CONNECT_RESPONSE_BYTES = 64 * 1024;
const MAX_EVENT_RESPONSE_BYTES = 1024 * 1024;
const MAX_STATE_CHARS = 8 * 1024;

/** What an event says about the connection it comes from; a connection keeps these up to date. */
export interface EventSource {
  hub: string;
  connectionId: string;
  userId: string | null;
  subprotocol: string;
  signature: string;
  connectionState: string | undefined;
  nextEventId(): number;
}

export interface ConnectRequest {
  claims: Record<string, string[]>;
  query: Record<string, string[]>;
  headers: Record<string, string[]>;
  subprotocols: string[];
  clientCertificates: never[];
}

export type ConnectOutcome =
  | { accept: true; userId?: string | null; roles?: string[]; groups?: string[]; subprotocol?: string; state?: string }
  | { accept: false; status: number; message: string };

export type UserEventOutcome = { ok: true; response?: Payload; state?: string } | { ok: false; message: string };

const ZConnectResponse = z
  .object({
    userId: z.string().nullish(),
    groups: z.array(z.string()).nullish(),
    roles: z.array(z.string()).nullish(),
    subprotocol: z.string().nullish(),
  })
  .nullable();

export class Upstream {
  private url: string | undefined;
  private validation: { url: string; check: Promise<void> } | undefined;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly aborter = new AbortController();
  private readonly http = new UpstreamClient();
  /** Set once `drain` gives up waiting: from then on nothing is sent. */
  private closed = false;

  /** `origin` goes in `WebHook-Request-Origin`: the hub's host, as Azure sends its own. */
  constructor(
    private readonly origin: string,
    url: string | undefined,
  ) {
    if (url) this.setUrl(url);
  }

  setUrl(url: string): void {
    this.url = checkHandlerUrl(url);
  }

  async connect(source: EventSource, request: ConnectRequest): Promise<ConnectOutcome> {
    if (this.closed) return { accept: false, status: 503, message: "The hub is stopping." };
    if (!this.url) return { accept: true };
    return this.track(async () => {
      try {
        const res = await this.post(source, "connect", "application/json; charset=utf-8", Buffer.from(JSON.stringify(request)));
        const state = stateOf(res);
        if (res.status >= 400 && res.status < 500) {
          const text = (await res.read(1024, true)).toString("utf8");
          return { accept: false, status: res.status, message: text || `The connect event handler answered ${res.status}.` };
        }
        if (res.status < 200 || res.status >= 300) {
          res.discard();
          log.warn("channel.hub.connect_handler_failed", { status: res.status, connectionId: source.connectionId });
          return { accept: false, status: 500, message: `The connect event handler answered ${res.status}.` };
        }
        const body = await res.read(MAX_CONNECT_RESPONSE_BYTES);
        if (body.length === 0) return { accept: true, state };
        const parsed = ZConnectResponse.safeParse(JSON.parse(body.toString("utf8")));
        if (!parsed.success) throw new Error(`the connect response is not {userId, groups, roles, subprotocol}: ${parsed.error.message}`);
        const { userId, roles, groups, subprotocol } = parsed.data ?? {};
        return { accept: true, userId, roles: roles ?? undefined, groups: groups ?? undefined, subprotocol: subprotocol ?? undefined, state };
      } catch (error) {
        log.warn("channel.hub.connect_handler_failed", { connectionId: source.connectionId, error });
        return { accept: false, status: 500, message: "The connect event handler failed." };
      }
    });
  }

  /** `connected` / `disconnected`: delivered in the background; the caller may await it to keep order. */
  notify(source: EventSource, event: "connected" | "disconnected", body: Record<string, unknown>): Promise<void> {
    if (!this.url || this.closed) return Promise.resolve();
    return this.track(async () => {
      try {
        const res = await this.post(source, event, "application/json; charset=utf-8", Buffer.from(JSON.stringify(body)));
        res.discard();
        if (!res.ok) log.warn("channel.hub.event_handler_failed", { event, status: res.status, connectionId: source.connectionId });
      } catch (error) {
        log.warn("channel.hub.event_handler_failed", { event, connectionId: source.connectionId, error });
      }
    });
  }

  async userEvent(source: EventSource, event: string, payload: Payload): Promise<UserEventOutcome> {
    if (this.closed) return { ok: false, message: "The hub is stopping." };
    if (!this.url) return { ok: false, message: "No event handler is configured for this hub yet." };
    return this.track(async () => {
      try {
        const { contentType, body } = payloadToHttp(payload);
        const res = await this.post(source, event, contentType, body, `azure.webpubsub.user.${event}`);
        if (!res.ok) {
          res.discard();
          log.warn("channel.hub.event_handler_failed", { event, status: res.status, connectionId: source.connectionId });
          return { ok: false, message: `The event handler answered ${res.status}.` };
        }
        const state = stateOf(res);
        const bytes = await res.read(MAX_EVENT_RESPONSE_BYTES);
        if (bytes.length === 0) return { ok: true, state };
        const response = payloadFromUpstream(res.header("content-type") ?? null, bytes);
        if (!response.ok) throw new Error(response.message);
        return { ok: true, response: response.value, state };
      } catch (error) {
        log.warn("channel.hub.event_handler_failed", { event, connectionId: source.connectionId, error });
        return { ok: false, message: "The event handler failed." };
      }
    });
  }

  /** Waits up to `graceMs` for events in flight, then aborts the rest. */
  async drain(graceMs: number): Promise<void> {
    const settled = Promise.allSettled([...this.inflight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.closed = true;
    this.aborter.abort();
    await Promise.allSettled([...this.inflight]);
    this.http.close();
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    const promise = run();
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async post(source: EventSource, eventName: string, contentType: string, body: Buffer, type?: string): Promise<UpstreamResponse> {
    const url = this.url;
    if (!url) throw new Error("no event handler URL");
    await this.validate(url);
    const headers: Record<string, string> = {
      "content-type": contentType,
      "ce-specversion": "1.0",
      "ce-awpsversion": "1.0",
      "ce-type": type ?? `azure.webpubsub.sys.${eventName}`,
      "ce-source": `/hubs/${source.hub}/client/${source.connectionId}`,
      "ce-id": String(source.nextEventId()),
      "ce-time": new Date().toISOString(),
      "ce-hub": source.hub,
      "ce-connectionId": source.connectionId,
      "ce-eventName": eventName,
      "ce-subprotocol": source.subprotocol,
      "ce-signature": source.signature,
      "WebHook-Request-Origin": this.origin,
    };
    if (source.userId !== null) headers["ce-userId"] = source.userId;
    if (source.connectionState) headers["ce-connectionState"] = source.connectionState;
    // A redirect is an answer like any other (never followed), as Azure's service treats it.
    return this.http.request(url, { method: "POST", headers, body, signal: this.signal(EVENT_TIMEOUT_MS) });
  }

  /** Abuse protection (§5.1): once per handler URL; a failure is not remembered, so the next event tries again. */
  private validate(url: string): Promise<void> {
    if (this.validation?.url === url) return this.validation.check;
    const check = (async () => {
      const res = await this.http.request(url, {
        method: "OPTIONS",
        headers: { "WebHook-Request-Origin": this.origin, "ce-awpsversion": "1.0" },
        signal: this.signal(VALIDATION_TIMEOUT_MS),
      });
      res.discard();
      const allowed = (res.header("webhook-allowed-origin") ?? "").split(",").map((value) => value.trim());
      if (!res.ok || !(allowed.includes("*") || allowed.includes(this.origin))) {
        throw new Error(`the event handler refused the abuse-protection check (status ${res.status}, WebHook-Allowed-Origin '${allowed.join(",")}')`);
      }
    })();
    this.validation = { url, check };
    check.catch(() => {
      if (this.validation?.check === check) this.validation = undefined;
    });
    return check;
  }

  private signal(timeoutMs: number): AbortSignal {
    return AbortSignal.any([this.aborter.signal, AbortSignal.timeout(timeoutMs)]);
  }
}

/** The handler URL, normalised; throws a message meant for people when it is not absolute http(s). */
export function checkHandlerUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") {
    throw new Error(`The event handler URL must be an absolute http(s) URL; got '${url}'.`);
  }
  return parsed.toString();
}

function stateOf(res: UpstreamResponse): string | undefined {
  const state = res.header("ce-connectionstate");
  if (state && state.length > MAX_STATE_CHARS) {
    log.warn("channel.hub.connection_state_too_large", { length: state.length });
    return undefined;
  }
  return state;
}
