import type { TKeyExchangeRequest } from "@/prisma-free-schema";
import { ExchangeThrottledError, ExchangeUnavailableError, KeyRejectedError } from "./channel-errors";
import type { GrantSource } from "./grant-source";
import { exchangeInstallKey, type Grant } from "./key-exchange";

/**
 * The current client access grant, exchanged for the install key when there is none or it is due
 * for renewal. Reusing a fresh grant spares the platform: while the hub is unreachable the
 * operator retries every few seconds. (The platform throttles only refused exchanges, so the right
 * key is never held back, however often it is exchanged.)
 */
export class AccessGrants implements GrantSource {
  private grant: Grant | undefined;
  readonly origin: { platform: string };

  constructor(
    private readonly platformUrl: string,
    private readonly request: TKeyExchangeRequest,
    private readonly timeoutMs: number,
  ) {
    this.origin = { platform: new URL(platformUrl).host };
  }

  /** A grant that is not yet due for renewal, exchanging for a new one if needed. */
  async fresh(signal: AbortSignal): Promise<Grant> {
    if (this.grant && Date.now() < this.grant.renewAt) return this.grant;
    return this.renew(signal);
  }

  /** Always exchanges. Throws KeyRejectedError, ExchangeThrottledError or ExchangeUnavailableError. */
  async renew(signal: AbortSignal): Promise<Grant> {
    const outcome = await exchangeInstallKey(this.platformUrl, this.request, { timeoutMs: this.timeoutMs, signal });
    switch (outcome.kind) {
      case "granted":
        this.grant = outcome.grant;
        return outcome.grant;
      case "rejected":
        this.grant = undefined;
        throw new KeyRejectedError();
      case "throttled":
        throw new ExchangeThrottledError(outcome.retryAfterMs);
      case "unavailable":
        throw new ExchangeUnavailableError(outcome.reason);
    }
  }

  /** The hub refused this grant, or may have restarted with a new access key: exchange next time. */
  forget(): void {
    this.grant = undefined;
  }
}
