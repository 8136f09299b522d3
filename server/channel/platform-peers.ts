import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { WebPubSubClient, WebPubSubJsonProtocol } from "@azure/web-pubsub-client";
import type { JSONTypes, WebPubSubServiceClient } from "@azure/web-pubsub";
import { platformRunGroup, platformUserId, type TRunEvent } from "@/prisma-free-schema";
import type { TEnvelope } from "@/prisma-free-schema/channel-envelope";
import { PEER_RELAY_MAX_EVENTS, type TPeerMessage, ZPeerMessage } from "@/prisma-free-schema/platform-peers";
import { log } from "../log";

/** Web PubSub's ceiling on one message is 1 MB; a relay stays well under it. */
const RELAY_MAX_BYTES = 512 * 1024;
/** How long a token of this process's own connection lasts; the SDK asks for a new one at every reconnect. */
const TOKEN_MINUTES = 60;

export interface PeerHandlers {
  /** A reply another process received for a command this one sent; `from` is the hub user that sent it. */
  reply(from: string, envelope: TEnvelope): void;
  /** Events another process stored, of a run this one watches. */
  runEvents(events: TRunEvent[]): void;
  /**
   * A relay may have been missed: read the store again. Called when the connection is back after
   * being down, and every RESYNC_MS as the backstop (a relay that failed to send is never known here).
   */
  resync(): void;
}

const RESYNC_MS = 10_000;
const RECONNECT_FIRST_MS = 250;
const JOIN_WAIT_MS = 5_000;
const RECONNECT_MAX_MS = 10_000;

export interface PeerOptions {
  /** How often `resync` is called as the backstop (RESYNC_MS); tests that must see the relay itself set it far off. */
  resyncMs?: number;
}

/**
 * This process among the platform processes that share one hub (README, "Several platform
 * processes"): a hub connection of its own as `platform:<id>`, the reply address its commands
 * carry. The hub posts every client's events to one event handler, which may be another process,
 * so that process passes a reply on (`forwardReply`), and relays the run events it stored to the
 * group of each run (`relay`), which a process joins while it has watchers of the run (`join`).
 *
 * Only server messages arrive on this connection (nothing it joins is a group a client may send
 * to, and no client may send to a user), so only a holder of the hub's access key, a platform,
 * can reach it; each is still validated before it is acted on.
 */
export class PlatformPeers {
  readonly address: string;
  /** Resolves once this process is first connected (and never, if it is stopped before). */
  readonly connected: Promise<void>;
  private readonly client: WebPubSubClient;
  private readonly runs = new Set<string>();
  private connectionId: string | undefined;
  private everConnected = false;
  private readonly stopping = new AbortController();
  private readonly resyncTimer: NodeJS.Timeout;
  private onStopped: (() => void) | undefined;
  private onFirstConnect!: () => void;

  private constructor(
    private readonly service: WebPubSubServiceClient,
    private readonly handlers: PeerHandlers,
    options: PeerOptions,
  ) {
    this.address = platformUserId(randomBytes(10).toString("hex"));
    this.connected = new Promise((resolve) => (this.onFirstConnect = resolve));
    this.client = new WebPubSubClient(
      {
        getClientAccessUrl: async () => (await service.getClientAccessToken({ userId: this.address, roles: ["webpubsub.joinLeaveGroup"], expirationTimeInMinutes: TOKEN_MINUTES })).url,
      },
      // Reconnects are ours (keepConnected), groups are rejoined by us (the bus says which) and
      // the runs then resync; the SDK's keep-alive notices a half-open socket (stop() ends its timers).
      { protocol: WebPubSubJsonProtocol(), autoReconnect: false, autoRejoinGroups: false, messageRetryOptions: { maxRetries: 0 } },
    );
    this.client.on("connected", (event) => void this.connectedAs(event.connectionId));
    this.client.on("disconnected", (event) => {
      this.connectionId = undefined;
      if (!this.stopping.signal.aborted) log.warn("channel.peer_link_down", { address: this.address, message: event.message });
    });
    this.client.on("stopped", () => this.onStopped?.());
    this.client.on("server-message", (event) => this.receive(event.message.data));
    this.resyncTimer = setInterval(() => handlers.resync(), options.resyncMs ?? RESYNC_MS);
    this.resyncTimer.unref();
  }

  /**
   * This process as a peer on the hub, connecting in the background and again after every drop.
   * Not awaited by the platform's start: the hub admits a connection only once its event handler
   * (the load balancer before the processes) answers the connect, which for the first process of
   * a deployment is not until it is up. Until then a reply passed on to it is lost (its command
   * times out) and relays are missed (its runs resync once it is connected).
   */
  static start(service: WebPubSubServiceClient, handlers: PeerHandlers, options: PeerOptions = {}): PlatformPeers {
    const peers = new PlatformPeers(service, handlers, options);
    void peers.keepConnected();
    return peers;
  }

  private async keepConnected(): Promise<void> {
    const { signal } = this.stopping;
    for (let failures = 0; !signal.aborted; ) {
      const stopped = new Promise<void>((resolve) => (this.onStopped = resolve));
      try {
        await this.client.start();
        failures = 0;
        await stopped;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 10 === 0) log.warn("channel.peer_connect_failed", { address: this.address, failures, error });
      }
      if (signal.aborted) return;
      await sleep(Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures), undefined, { signal, ref: false }).catch(() => undefined);
    }
  }

  /** Resolves once joined, or after JOIN_WAIT_MS: a join the hub never acknowledges must not hold a stream back (its run resyncs). */
  async join(runId: string): Promise<void> {
    this.runs.add(runId);
    if (!this.connectionId) return;
    await this.client.joinGroup(platformRunGroup(runId), { abortSignal: AbortSignal.timeout(JOIN_WAIT_MS) });
  }

  leave(runId: string): void {
    this.runs.delete(runId);
    if (this.connectionId) this.client.leaveGroup(platformRunGroup(runId)).catch((error: unknown) => log.debug("channel.peer_leave_failed", { runId, error }));
  }

  /** Sends `events` (just stored here, one run's) to the processes watching the run; never to this one. */
  relay(runId: string, events: readonly TRunEvent[]): void {
    for (let start = 0; start < events.length; start += PEER_RELAY_MAX_EVENTS) this.send(runId, events.slice(start, start + PEER_RELAY_MAX_EVENTS));
  }

  /** Passes a reply on to the process `to` that waits for it. */
  async forwardReply(to: string, from: string, envelope: TEnvelope): Promise<void> {
    const message: TPeerMessage = { kind: "reply", from, envelope };
    await this.service.sendToUser(to, message as unknown as JSONTypes);
  }

  stop(): void {
    this.stopping.abort();
    clearInterval(this.resyncTimer);
    this.client.stop();
  }

  private send(runId: string, events: TRunEvent[]): void {
    const message: TPeerMessage = { kind: "run-events", origin: this.address, events };
    if (events.length > 1 && JSON.stringify(message).length > RELAY_MAX_BYTES) {
      const half = Math.ceil(events.length / 2);
      this.send(runId, events.slice(0, half));
      this.send(runId, events.slice(half));
      return;
    }
    const excludedConnections = this.connectionId ? [this.connectionId] : [];
    this.service
      .group(platformRunGroup(runId))
      .sendToAll(message as unknown as JSONTypes, { excludedConnections })
      // The watchers elsewhere resync from the store (a later relay's hole, or the periodic pass).
      .catch((error: unknown) => log.warn("channel.peer_relay_failed", { runId, events: events.length, error }));
  }

  private async connectedAs(connectionId: string): Promise<void> {
    this.connectionId = connectionId;
    if (this.everConnected) log.info("channel.peer_link_back", { address: this.address });
    this.everConnected = true;
    // Runs watched here before (or while the link was down) are joined now, then read from the store.
    await Promise.all([...this.runs].map((runId) => this.client.joinGroup(platformRunGroup(runId), { abortSignal: AbortSignal.timeout(JOIN_WAIT_MS) }).catch((error: unknown) => log.warn("channel.peer_join_failed", { runId, error }))));
    if (this.runs.size > 0) this.handlers.resync();
    this.onFirstConnect();
  }

  private receive(data: unknown): void {
    const parsed = ZPeerMessage.safeParse(data);
    if (!parsed.success) {
      log.warn("channel.peer_message_dropped", { why: parsed.error.issues[0]?.message });
      return;
    }
    const message = parsed.data;
    if (message.kind === "reply") this.handlers.reply(message.from, message.envelope);
    else if (message.origin !== this.address) this.handlers.runEvents(message.events);
  }
}
