import { Backoff } from "./backoff";
import { ExchangeThrottledError, KeyRejectedError } from "./channel-errors";
import type { GrantSource } from "./grant-source";
import type { Grant } from "./key-exchange";
import type { OperatorLog } from "./operator-log";

/** setTimeout's limit (~24.8 days); a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Exchanges the key again when a grant falls due, while connected. The open connection does not
 * need it (the hub checks a token only when a socket opens); the next reconnect does, and a key
 * that a newer bundle retired is found out here, within the hour, rather than at the next drop.
 * Disconnected, it does nothing: the next connection exchanges anyway.
 */
export class GrantRenewal {
  private timer: NodeJS.Timeout | undefined;
  /** There is slack before the grant lapses: retry far less eagerly than a connection. */
  private readonly backoff = new Backoff({ initialMs: 1_000, maxMs: 30_000 });

  constructor(
    private readonly grants: GrantSource,
    private readonly options: { signal: AbortSignal; log: OperatorLog; isConnected(): boolean; onRejected(error: KeyRejectedError): void },
  ) {}

  /** Renews when `grant` falls due (replacing any earlier schedule). */
  schedule(grant: Grant): void {
    // A grant renewed elsewhere (the sidecar's: the platform pushes fresh ones) is never due here.
    if (!Number.isFinite(grant.renewAt)) return this.cancel();
    this.after(grant.renewAt - Date.now());
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private after(delayMs: number): void {
    this.cancel();
    if (this.options.signal.aborted) return;
    this.timer = setTimeout(() => void this.renew(), Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
  }

  private async renew(): Promise<void> {
    const { signal, log } = this.options;
    if (!this.options.isConnected()) return;
    try {
      const grant = await this.grants.renew(signal);
      this.backoff.reset();
      log.info("channel access renewed", { hub: new URL(grant.url).host, expiresAt: grant.expiresAt });
      this.schedule(grant);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof KeyRejectedError) return this.options.onRejected(error);
      const delayMs = error instanceof ExchangeThrottledError ? error.retryAfterMs : this.backoff.next();
      log.warn("could not renew channel access; trying again", { delayMs, error });
      this.after(delayMs);
    }
  }
}
