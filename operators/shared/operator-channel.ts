import { EventEmitter, setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { type JSONTypes, type OnConnectedArgs, WebPubSubClient, WebPubSubJsonProtocol, type WebPubSubClientOptions } from "@azure/web-pubsub-client";
import { CHANNEL_EVENTS, CHECK_IN_SECONDS, type THealthFacts, type TOperatorSettings, type TWarmPoolCount } from "@/prisma-free-schema";
import type { ChannelMessage } from "@/prisma-free-schema/channel-envelope";
import { AccessGrants } from "./access-grants";
import { answerCommand, type CommandHandlers } from "./answer-command";
import { Backoff } from "./backoff";
import { ExchangeThrottledError, ExchangeUnavailableError, KeyRejectedError } from "./channel-errors";
import { hubRefusal, startCheckIns } from "./check-ins";
import { CommandInbox } from "./command-inbox";
import { ReplyOutbox } from "./reply-outbox";
import { GrantRenewal } from "./grant-renewal";
import type { GrantSource } from "./grant-source";
import type { OperatorLog } from "./operator-log";
import { childController, within } from "./wait";

/**
 * An operator's one connection to the platform: exchanges the install key for a client access
 * URL, holds a `WebPubSubClient` connection, answers commands with the registered handlers, checks
 * in, and comes back by itself with backoff whenever the connection drops. `run()` resolves only
 * when it is over: "stopped" after `stop()`, "rejected" when the platform refuses the key (fatal:
 * the operator must exit and its admin download a new bundle).
 *
 * Reconnection is driven here, not by the SDK (`autoReconnect: false`): in @azure/web-pubsub-client
 * 1.0.4 `stop()` does not end the SDK's reconnect loop while the hub is down (it resets its own
 * stopping flag when no socket is open), so a stopped operator would keep dialling. For the same
 * reason the plain JSON subprotocol is used, not the reliable one: the reliable protocol's
 * recovery is another loop of the SDK's own (30 s, 1 s apart) that `stop()` cannot end. The cost:
 * a command sent while the connection is down is lost rather than replayed, and the platform's
 * wait for it times out, as it must anyway for an operator that is away for longer.
 */
export interface ChannelTiming {
  /** Key exchange, socket open, each send's acknowledgement. */
  requestTimeoutMs: number;
  /** A handler running longer is answered with `timeout`. */
  handlerTimeoutMs: number;
  checkInIntervalMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** How often incomplete chunked commands are looked for (they are dropped after handlerTimeoutMs). */
  sweepIntervalMs: number;
  /** How long `stop()` waits for the socket's closing handshake. */
  closeGraceMs: number;
}

const DEFAULT_TIMING: ChannelTiming = {
  requestTimeoutMs: 60_000,
  handlerTimeoutMs: 60_000,
  checkInIntervalMs: CHECK_IN_SECONDS * 1000,
  backoffInitialMs: 250,
  backoffMaxMs: 5_000,
  sweepIntervalMs: 10_000,
  closeGraceMs: 2_000,
};

export type ChannelStatus =
  | { state: "idle" }
  | { state: "connecting" }
  | { state: "connected"; hub: string; connectionId: string }
  | { state: "disconnected"; reason: string }
  | { state: "reconnecting"; delayMs: number; reason: string }
  | { state: "rejected"; message: string }
  | { state: "stopped" };

export type ChannelOutcome = "stopped" | "rejected";

interface ChannelOptions {
  /** Sent with every check-in (the sidecar sends its own version). */
  operatorVersion: string;
  /** Command type (e.g. `host.health`) → handler; anything else is answered `unknown_command`. */
  handlers: CommandHandlers;
  /** The facts each check-in carries. */
  health: () => THealthFacts | Promise<THealthFacts>;
  /** A Docker host's warm pools, which each check-in carries too (the host page's ready counts). */
  warmPools?: () => TWarmPoolCount[];
  log: OperatorLog;
  timing?: Partial<ChannelTiming>;
}

/**
 * Operators give their install key (exchanged at the platform for each grant); the sidecar gives
 * its own source of grants (a URL file), as does anything else without a key.
 */
export type OperatorChannelOptions = ChannelOptions &
  ({ settings: Pick<TOperatorSettings, "platformUrl" | "hostId" | "installKey">; grants?: undefined } | { grants: GrantSource; settings?: undefined });

interface Ended {
  reason: string;
  /** The platform asked for at least this long before the next attempt. */
  retryAfterMs?: number;
}

export class OperatorChannel extends EventEmitter<{ status: [ChannelStatus] }> {
  private readonly timing: ChannelTiming;
  private readonly log: OperatorLog;
  private readonly grants: GrantSource;
  private readonly inbox: CommandInbox;
  private readonly outbox: ReplyOutbox;
  private readonly backoff: Backoff;
  private readonly lifetime = new AbortController();
  private readonly renewal: GrantRenewal;
  private connection: { client: WebPubSubClient; hub: string } | undefined;
  private fatal: KeyRejectedError | undefined;
  private running: Promise<ChannelOutcome> | undefined;
  private stopping: Promise<void> | undefined;
  private current: ChannelStatus = { state: "idle" };
  private checkIns: { soon(): void } | undefined;

  constructor(private readonly options: OperatorChannelOptions) {
    super();
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    // Every command in flight listens on the lifetime signal (and lets go when it is answered).
    setMaxListeners(0, this.lifetime.signal);
    this.log = options.log;
    this.grants = options.grants ?? this.keyExchange(options.settings);
    this.inbox = new CommandInbox(this.log, this.timing.handlerTimeoutMs);
    this.outbox = new ReplyOutbox(
      async (event, data) => {
        // Whichever connection is up now: a reply may go out on a newer connection than its command came in on.
        const connection = this.connection;
        if (!connection || this.lifetime.signal.aborted) throw new Error("not connected to the platform");
        await connection.client.sendEvent(event, data as JSONTypes, "json", { abortSignal: AbortSignal.timeout(this.timing.requestTimeoutMs) });
      },
      (error, envelopes) => this.log.warn("reply not delivered", { refusal: hubRefusal(error), envelopes, error }),
    );
    this.backoff = new Backoff({ initialMs: this.timing.backoffInitialMs, maxMs: this.timing.backoffMaxMs });
    this.renewal = new GrantRenewal(this.grants, {
      signal: this.lifetime.signal,
      log: this.log,
      isConnected: () => this.connection !== undefined,
      // Fatal even mid-connection: stopping ends the connection, and the loop reports it.
      onRejected: (error) => {
        this.fatal = error;
        this.lifetime.abort(error);
      },
    });
  }

  get status(): ChannelStatus {
    return this.current;
  }

  /**
   * Sends a user event on the connection that is up now and waits for the hub's acknowledgement.
   * False when there is no connection or the send failed: the caller keeps what it sent (the
   * sidecar's event log) for the platform to ask for again. Never queued here.
   */
  async sendEvent(event: string, data: JSONTypes): Promise<boolean> {
    const connection = this.connection;
    if (!connection || this.lifetime.signal.aborted) return false;
    try {
      await connection.client.sendEvent(event, data, "json", { abortSignal: AbortSignal.timeout(this.timing.requestTimeoutMs) });
      return true;
    } catch (error) {
      this.log.debug("event not delivered", { event, refusal: hubRefusal(error), error });
      return false;
    }
  }

  /**
   * Checks in again shortly, out of turn, when what a check-in carries has changed (a warm pool
   * filled or was claimed from); a no-op while not connected, since connecting checks in anyway.
   */
  checkInSoon(): void {
    this.checkIns?.soon();
  }

  /** Connects and stays connected until `stop()` or a rejected key; resolves with which. */
  run(): Promise<ChannelOutcome> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Ends everything: the connection (the hub sees this host leave), timers, retries. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.lifetime.abort(new Error("the operator is stopping"));
      this.renewal.cancel();
      if (this.running) await this.running;
      else this.setStatus({ state: "stopped" });
    })();
    return this.stopping;
  }

  private keyExchange({ platformUrl, hostId, installKey }: Pick<TOperatorSettings, "platformUrl" | "hostId" | "installKey">): AccessGrants {
    return new AccessGrants(platformUrl, { hostId, key: installKey, operatorVersion: this.options.operatorVersion }, this.timing.requestTimeoutMs);
  }

  /** The backoff's delay, cut short when the grant source says a new grant arrived (or the channel stops). */
  private async waitToReconnect(delayMs: number): Promise<void> {
    const done = new AbortController();
    const stop = () => done.abort();
    this.lifetime.signal.addEventListener("abort", stop, { once: true });
    try {
      const backoff = sleep(delayMs, undefined, { signal: done.signal });
      // A source that cannot tell (its watch failed) leaves it to the backoff.
      const changed = this.grants.changed?.(done.signal).then(
        () => this.log.info("a new access URL arrived; reconnecting now"),
        (error: unknown) => {
          if (!done.signal.aborted) this.log.warn("cannot watch for a new access URL; waiting out the backoff", { error });
          return backoff;
        },
      );
      await Promise.race(changed ? [backoff, changed] : [backoff]).catch(() => undefined);
    } finally {
      done.abort();
      this.lifetime.signal.removeEventListener("abort", stop);
    }
  }

  private async loop(): Promise<ChannelOutcome> {
    const sweeper = setInterval(() => this.inbox.sweep(), this.timing.sweepIntervalMs);
    try {
      this.log.info("connecting to the platform", this.grants.origin);
      while (!this.lifetime.signal.aborted) {
        const ended = await this.connectOnce();
        if (this.fatal) throw this.fatal;
        if (this.lifetime.signal.aborted) break;
        const delayMs = Math.max(this.backoff.next(), ended.retryAfterMs ?? 0);
        this.setStatus({ state: "reconnecting", delayMs, reason: ended.reason });
        this.log.info(`reconnecting in ${delayMs} ms`, { delayMs, reason: ended.reason });
        await this.waitToReconnect(delayMs);
      }
      this.setStatus({ state: "stopped" });
      this.log.info("stopped");
      return "stopped";
    } catch (error) {
      if (!(error instanceof KeyRejectedError)) throw error;
      this.lifetime.abort(error);
      this.setStatus({ state: "rejected", message: error.message });
      this.log.error(error.message);
      return "rejected";
    } finally {
      clearInterval(sweeper);
      this.renewal.cancel();
    }
  }

  /** One connection, from exchange to close. Throws only KeyRejectedError. */
  private async connectOnce(): Promise<Ended> {
    this.setStatus({ state: "connecting" });
    let hub = "the hub";
    const client = new WebPubSubClient(
      {
        // Called by the SDK for every new connection: a fresh grant unless the cached one is still good.
        getClientAccessUrl: async () => {
          const grant = await this.grants.fresh(this.lifetime.signal);
          hub = new URL(grant.url).host;
          this.log.debug("channel access granted", { hub, expiresAt: grant.expiresAt });
          this.renewal.schedule(grant);
          return grant.url;
        },
      },
      clientOptions(),
    );
    let closeReason = "the connection closed";
    const ended = new Promise<void>((resolve) => client.on("stopped", () => resolve()));
    const connected = new Promise<OnConnectedArgs>((resolve) =>
      client.on("connected", (args) => {
        // At once, not after the awaits below: the platform may send a command the moment the hub
        // says connected, and its reply needs a connection to go out on.
        this.connection = { client, hub };
        resolve(args);
      }),
    );
    client.on("disconnected", (event) => (closeReason = event.message?.message ?? closeReason));
    client.on("server-message", (event) => this.receive(event.message.data));

    const starting = client.start({ abortSignal: this.lifetime.signal });
    const opened = await within(starting, { ms: this.timing.requestTimeoutMs, signal: this.lifetime.signal });
    if (opened.kind === "aborted") {
      // Stopping mid-connect: a socket that opens in the next moment is closed before we return.
      if ((await within(starting, { ms: this.timing.closeGraceMs })).kind === "settled") await this.close(client, ended);
      return { reason: "stopping" };
    }
    if (opened.kind === "timeout") {
      // A socket still opening when we gave up is closed the moment it opens.
      starting.then(() => client.stop(), () => undefined);
      return { reason: `no answer from ${hub} within ${this.timing.requestTimeoutMs} ms` };
    }
    if (opened.kind === "failed") return this.failedAttempt(opened.error, hub);

    // The socket is open; the connection is not until the hub says `connected` (or it may close first).
    const hello = await within(Promise.race([connected, ended.then(() => undefined)]), { ms: this.timing.requestTimeoutMs, signal: this.lifetime.signal });
    if (hello.kind !== "settled" || !hello.value) {
      await this.close(client, ended);
      if (hello.kind === "aborted") return { reason: "stopping" };
      return { reason: hello.kind === "timeout" ? `${hub} accepted the socket but never said connected` : closeReason };
    }

    const { connectionId } = hello.value;
    this.setStatus({ state: "connected", hub, connectionId });
    this.log.info("connected", { hub, connectionId });
    const checkIns = startCheckIns({
      client,
      operatorVersion: this.options.operatorVersion,
      health: this.options.health,
      warmPools: this.options.warmPools,
      intervalMs: this.timing.checkInIntervalMs,
      timeoutMs: this.timing.requestTimeoutMs,
      log: this.log,
      onHealthy: () => this.backoff.reset(),
      onDead: (reason) => {
        closeReason = reason;
        client.stop();
      },
    });

    this.checkIns = checkIns;
    const served = await within(ended, { signal: this.lifetime.signal });
    checkIns.stop();
    this.checkIns = undefined;
    this.connection = undefined;
    if (served.kind === "aborted") {
      await this.close(client, ended);
      return { reason: "stopping" };
    }
    // The hub that dropped us may come back with a new access key: the next connection exchanges.
    this.grants.forget();
    this.setStatus({ state: "disconnected", reason: closeReason });
    this.log.warn("disconnected", { hub, reason: closeReason });
    return { reason: closeReason };
  }

  /** Why a connection attempt failed, and what that means for the grant and the next attempt. */
  private failedAttempt(error: unknown, hub: string): Ended {
    if (error instanceof KeyRejectedError) throw error;
    // The reason is logged once, with the delay, by the loop.
    if (error instanceof ExchangeThrottledError) return { reason: error.message, retryAfterMs: error.retryAfterMs };
    if (error instanceof ExchangeUnavailableError) return { reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    // `ws` reports an HTTP answer to the upgrade this way. A 4xx means the hub refused the token
    // (it restarted with a new key, or the token lapsed): exchange again. Anything else (refused,
    // unreachable) says nothing against the grant, which is kept to spare the key's rate limit.
    if (/Unexpected server response: 4\d\d/.test(message)) this.grants.forget();
    return { reason: `could not connect to ${hub}: ${message}` };
  }

  /** Closes one client and waits, briefly, for the closing handshake so the hub sees us leave. */
  private async close(client: WebPubSubClient, ended: Promise<void>): Promise<void> {
    client.stop();
    await within(ended, { ms: this.timing.closeGraceMs });
  }

  private receive(data: unknown): void {
    if (this.lifetime.signal.aborted) return;
    for (const command of this.inbox.acceptMessage(data)) void this.answer(command);
  }

  private async answer(command: ChannelMessage): Promise<void> {
    const log = this.log.child({ type: command.type, correlationId: command.correlationId });
    log.debug("command received");
    const { signal, release } = childController(this.lifetime.signal);
    const envelopes = await answerCommand(command, this.options.handlers, { timeoutMs: this.timing.handlerTimeoutMs, signal }).finally(release);
    const failure = envelopes[0]?.error;
    if (failure) log.warn("command failed", { code: failure.code, message: failure.message });

    if (await this.outbox.post(envelopes)) log.debug("replied", { envelopes: envelopes.length });
  }

  private setStatus(status: ChannelStatus): void {
    this.current = status;
    try {
      this.emit("status", status);
    } catch (error) {
      this.log.error("a status listener failed", { error });
    }
  }
}

/** A new options object per client: the SDK writes its defaults into the one it is given. */
function clientOptions(): WebPubSubClientOptions {
  return {
    protocol: WebPubSubJsonProtocol(),
    autoReconnect: false,
    autoRejoinGroups: false,
    // No retries inside the SDK: they sleep on timers that stop() cannot cancel, and a send that
    // failed because the connection dropped cannot succeed on that client again.
    messageRetryOptions: { maxRetries: 0 },
    // The SDK's keep-alive tasks also sleep on uncancellable timers (up to 40 s after stop());
    // the 15-second check-in is the heartbeat instead (check-ins.ts).
    keepAliveIntervalInMs: 0,
    keepAliveTimeoutInMs: 0,
  };
}
