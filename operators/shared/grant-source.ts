import type { Grant } from "./key-exchange";
import type { LogFields } from "./operator-log";

/**
 * Where a channel's client access URLs come from. Operators exchange their install key at the
 * platform (`AccessGrants`); the sidecar reads the URL its sandbox was started with from a file
 * (`operators/sidecar/url-file-grants.ts`). The channel asks for one at every (re)connect.
 *
 * Errors from `fresh`/`renew` are how a source steers the channel: `KeyRejectedError` is fatal,
 * `ExchangeThrottledError` waits its Retry-After, anything else is retried with backoff.
 */
export interface GrantSource {
  /** Where grants come from, for the "connecting" log line; never a secret. */
  readonly origin: LogFields;
  /** A grant not yet due for renewal, getting a new one if needed. */
  fresh(signal: AbortSignal): Promise<Grant>;
  /** Always gets a new one (called when a grant falls due at `renewAt`; a source whose grants never fall due sets `renewAt` to Infinity). */
  renew(signal: AbortSignal): Promise<Grant>;
  /** The hub refused the current grant, or may have restarted: get a new one next time. */
  forget(): void;
  /**
   * Resolves when a new grant may have arrived by itself (the sidecar's URL file was replaced: a
   * platform that restarted wrote a fresh one), so a channel waiting to reconnect goes at once
   * rather than at the end of its backoff. Sources that only fetch grants leave it out.
   */
  changed?(signal: AbortSignal): Promise<void>;
}
