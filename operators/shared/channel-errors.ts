/**
 * Why the operator could not get onto the channel, as types the channel branches on. They are
 * thrown from inside the SDK's `getClientAccessUrl` callback and come back out of `start()`.
 * None carries the key.
 */

/** The platform refused the install key: wrong, or retired by a newer bundle download. Fatal. */
export class KeyRejectedError extends Error {
  constructor() {
    super("install key rejected: the platform does not accept this host's key (it is wrong, or a newer bundle retired it); download a new operator bundle from the host's page");
    this.name = "KeyRejectedError";
  }
}

/** Too many exchanges with this key lately: try again after `retryAfterMs`. */
export class ExchangeThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`the platform is throttling key exchanges for this host; retrying in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = "ExchangeThrottledError";
  }
}

/** The platform could not be asked (down, unreachable, answering oddly): try again with backoff. */
export class ExchangeUnavailableError extends Error {
  constructor(reason: string) {
    super(`key exchange failed: ${reason}`);
    this.name = "ExchangeUnavailableError";
  }
}
