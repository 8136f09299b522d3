import { type TKeyExchangeRequest, ZKeyExchangeResponse } from "@/prisma-free-schema";

/**
 * The key exchange, `POST {platformUrl}/api/operators/token`: the install key in, a client access
 * URL for the hub out. Every answer maps to what the operator should do next:
 *
 * - granted: connect with `url`; exchange again at `renewAt` (local clock).
 * - rejected (401): the key is wrong or retired by a newer bundle download. Fatal: retrying the
 *   same key can never succeed, and every attempt counts against the key's rate limit.
 * - throttled (429): wait `Retry-After`, then try again.
 * - unavailable (network error, timeout, 5xx, anything unexpected): try again with backoff.
 *
 * The key travels only in the request body; nothing here puts it in a message.
 */
export const KEY_EXCHANGE_PATH = "/api/operators/token";

export interface Grant {
  url: string;
  expiresAt: string;
  /** When to exchange again, in this machine's clock (ms since epoch). */
  renewAt: number;
}

export type KeyExchangeOutcome =
  | { kind: "granted"; grant: Grant }
  | { kind: "rejected" }
  | { kind: "throttled"; retryAfterMs: number }
  | { kind: "unavailable"; reason: string };

export interface KeyExchangeOptions {
  /** Default 60 s, for the whole exchange including the body. */
  timeoutMs?: number;
  /** Aborting it (the operator is stopping) rejects with the abort reason instead of an outcome. */
  signal?: AbortSignal;
}

/** When a 429 carries no usable Retry-After: the platform's window is one minute. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

export async function exchangeInstallKey(
  platformUrl: string,
  request: TKeyExchangeRequest,
  options: KeyExchangeOptions = {},
): Promise<KeyExchangeOutcome> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  // Appended, not resolved: a platform served under a path prefix keeps its prefix.
  const endpoint = `${platformUrl.replace(/\/+$/, "")}${KEY_EXCHANGE_PATH}`;
  const sentAt = Date.now();
  let res: Response;
  let body: string;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
      // Never follow a redirect with the key in the body: a 307 would post it wherever it points.
      redirect: "manual",
      signal,
    });
    body = await res.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (signal.aborted) return { kind: "unavailable", reason: `no answer from ${hostOf(endpoint)} within ${timeoutMs} ms` };
    return { kind: "unavailable", reason: `could not reach ${hostOf(endpoint)}: ${describeFetchError(error)}` };
  }

  if (res.status === 401) return { kind: "rejected" };
  if (res.status === 429) return { kind: "throttled", retryAfterMs: retryAfterMs(res.headers.get("retry-after")) };
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location");
    return { kind: "unavailable", reason: `the platform redirected the exchange (${res.status}${location ? ` to ${location}` : ""}); set the platform URL to where it points` };
  }
  if (res.status !== 200) return { kind: "unavailable", reason: `the platform answered ${res.status}` };

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "unavailable", reason: "the platform answered 200 with a body that is not JSON" };
  }
  const parsed = ZKeyExchangeResponse.safeParse(json);
  if (!parsed.success) return { kind: "unavailable", reason: `the platform's answer is not a key exchange response (${parsed.error.issues[0]?.path.join(".") || "body"})` };

  const { url, expiresAt, renewBeforeSeconds } = parsed.data;
  return { kind: "granted", grant: { url, expiresAt, renewAt: renewAt(expiresAt, renewBeforeSeconds, res.headers.get("date"), sentAt) } };
}

/**
 * `expiresAt` is in the platform's clock. The lifetime is measured against the response's `Date`
 * (the platform's clock too) when there is one, so a laptop whose clock drifted, or a Docker VM
 * that slept, still renews on time. If the platform's `renewBeforeSeconds` leaves no slack
 * (it is longer than the lifetime), renew halfway instead of in a loop.
 */
function renewAt(expiresAt: string, renewBeforeSeconds: number, dateHeader: string | null, sentAt: number): number {
  const platformNow = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  const lifetimeMs = Math.max(0, Date.parse(expiresAt) - (Number.isNaN(platformNow) ? Date.now() : platformNow));
  const renewAfterMs = lifetimeMs - renewBeforeSeconds * 1000;
  return sentAt + (renewAfterMs > 0 ? renewAfterMs : lifetimeMs / 2);
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - Date.now());
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the platform";
  }
}

/** fetch's own message is just "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in the cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}
