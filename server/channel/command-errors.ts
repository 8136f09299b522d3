/**
 * How a command to an operator or sidecar can fail, as types a caller can branch on. None of the
 * messages carries a payload: a payload may hold what a sandbox printed, which is not ours to log.
 */
export class CommandTimeoutError extends Error {
  readonly code = "COMMAND_TIMEOUT";
  constructor(
    readonly type: string,
    readonly target: string,
    readonly timeoutMs: number,
    /** Chunks of the reply that had arrived when time ran out, when it was a chunked reply. */
    readonly partial?: { received: number; count: number },
  ) {
    super(
      partial
        ? `${type} to ${target}: the reply was incomplete after ${timeoutMs} ms (${partial.received} of ${partial.count} parts); nothing of it is used.`
        : `${type} to ${target}: no reply within ${timeoutMs} ms. Is its operator connected?`,
    );
    this.name = "CommandTimeoutError";
  }
}

/** The other end answered, with an error instead of a result. */
export class CommandFailedError extends Error {
  readonly code = "COMMAND_FAILED";
  constructor(
    readonly type: string,
    readonly target: string,
    readonly remoteCode: string,
    /** The other end's own words, for a message to a person (the operator redacts secrets from it). */
    readonly remoteMessage: string,
  ) {
    super(`${type} to ${target} failed: ${remoteMessage} (${remoteCode})`);
    this.name = "CommandFailedError";
  }
}

/** The channel is shutting down; commands still waiting are failed with this. */
export class ChannelClosedError extends Error {
  readonly code = "CHANNEL_CLOSED";
  constructor(readonly type: string) {
    super(`${type}: the channel closed before a reply came.`);
    this.name = "ChannelClosedError";
  }
}

/** The other end was not connected, and did not come back within the wait the caller allowed. */
export class NotConnectedError extends Error {
  readonly code = "NOT_CONNECTED";
  constructor(
    readonly type: string,
    readonly target: string,
    readonly waitedMs: number,
  ) {
    super(`${type} to ${target}: not connected to the platform, and not back within ${Math.round(waitedMs / 1000)} s.`);
    this.name = "NotConnectedError";
  }
}
