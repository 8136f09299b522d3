import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { JSONTypes, WebPubSubServiceClient } from "@azure/web-pubsub";
import { CHANNEL_CAPABILITIES, PLATFORM_USER, ZPlatformUserId } from "@/prisma-free-schema";
import { Reassembler, type TEnvelope, toEnvelopes } from "@/prisma-free-schema/channel-envelope";
import { log } from "../log";
import { ChannelClosedError, CommandFailedError, CommandTimeoutError, NotConnectedError } from "./command-errors";
import { CommandOutbox } from "./command-outbox";
import type { PlatformPeers } from "./platform-peers";

/**
 * Longer than an operator's own deadline for a handler (60 s), so a command that runs too long
 * comes back as the operator's `timeout` answer rather than as silence.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 65_000;
const CONNECTION_POLL_MS = 200;

interface PendingCommand {
  type: string;
  target: string;
  resolve(payload: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The platform's end of the channel: sends commands to one operator or sidecar by its hub user
 * id and matches the replies, which come back through the event handler, to the command that
 * asked. It talks to the hub only through `WebPubSubServiceClient`, so it cannot tell the
 * embedded hub from Azure's.
 *
 * Replies live in this process's memory while they are awaited. Where several processes share
 * the hub, each names its own hub address as the reply address (platform-peers.ts), and a reply
 * the event handler of another process receives is passed on to it there (`acceptReply`).
 */
export class PlatformChannel {
  private readonly pending = new Map<string, PendingCommand>();
  private readonly replies: Reassembler;
  /**
   * Users whose current client said (in its check-in) that it takes command batches; forgotten
   * when it connects again or leaves. Learned again from every check-in, so a restart forgets
   * nothing a check-in does not bring back; until then commands simply go one message each.
   * Another platform process learns the same from the check-ins it receives.
   */
  private readonly takesBatches = new Set<string>();
  private readonly outbox = new CommandOutbox(async (userId, message) => {
    await this.service.sendToUser(userId, message);
  });
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** The other processes on the hub, once this one has joined them (boot does, where the hub is shared). */
  private peers: Pick<PlatformPeers, "address" | "forwardReply"> | undefined;

  constructor(
    readonly service: WebPubSubServiceClient,
    private readonly options: { defaultTimeoutMs?: number } = {},
  ) {
    this.replies = new Reassembler(5 * 60_000);
    this.sweeper = setInterval(() => this.replies.sweep(), 30_000);
    this.sweeper.unref();
  }

  /**
   * Sends `type` with `payload` to the hub user `target` (e.g. `host:host_…`) and resolves with
   * the reply's payload. Rejects with CommandTimeoutError when no whole reply comes in time,
   * CommandFailedError when the other end answers with an error.
   */
  async send(target: string, type: string, payload: unknown, options: { timeoutMs?: number; awaitConnectionMs?: number } = {}): Promise<unknown> {
    if (this.closed) throw new ChannelClosedError(type);
    if (options.awaitConnectionMs) await this.awaitConnection(target, type, options.awaitConnectionMs);
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const correlationId = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        const partial = this.replies.progress("reply", correlationId);
        this.replies.forget("reply", correlationId);
        log.warn("channel.command_timed_out", { type, target, correlationId, timeoutMs, partial });
        reject(new CommandTimeoutError(type, target, timeoutMs, partial));
      }, timeoutMs);
      this.pending.set(correlationId, { type, target, resolve, reject, timer });
    });
    // The wait may end (timeout) while the envelopes are still being sent: mark it handled now,
    // so that rejection is never "unhandled" (which would end the process); the caller still gets it.
    reply.catch(() => undefined);
    try {
      const envelopes = toEnvelopes({ kind: "command", type, correlationId, replyTo: this.address, payload });
      if (envelopes.length === 1 && this.takesBatches.has(target)) {
        await this.outbox.post(target, envelopes[0]!);
      } else {
        for (const envelope of envelopes) {
          // An object goes as application/json, and the client receives it as a json server message.
          await this.service.sendToUser(target, envelope as JSONTypes);
        }
      }
    } catch (error) {
      this.settle(correlationId)?.reject(error as Error);
    }
    return reply;
  }

  /** The reply address this process's commands carry. */
  get address(): string {
    return this.peers?.address ?? PLATFORM_USER;
  }

  /** From now on commands name this process's own address, and replies for other processes are passed on to them. */
  joinPeers(peers: Pick<PlatformPeers, "address" | "forwardReply">): void {
    this.peers = peers;
  }

  /**
   * One envelope of a reply, as the event handler received it from hub user `from`: kept here if
   * it names this process (or no one: an operator older than reply addresses), passed on if it
   * names another platform process. A reply whose correlation id is unknown (late, or lost to a
   * restart), that names an address no platform has, or that comes from someone other than the
   * command's target, is dropped and logged.
   */
  acceptReply(from: string, envelope: TEnvelope): void {
    const to = envelope.replyTo;
    if (to !== null && to !== this.address && to !== PLATFORM_USER) {
      // Only a reply, and only ever to another platform process: nothing a client sends up makes the platform message anyone else.
      if (!this.peers || envelope.kind !== "reply" || !ZPlatformUserId.safeParse(to).success) {
        log.warn("channel.reply_dropped", { from, correlationId: envelope.correlationId, why: "addressed to no platform process" });
        return;
      }
      this.peers.forwardReply(to, from, envelope).catch((error: unknown) => log.warn("channel.reply_forward_failed", { from, to, correlationId: envelope.correlationId, error }));
      return;
    }
    this.acceptOwnReply(from, envelope);
  }

  /** A reply to a command of this process (directly, or passed on by the process that received it). */
  acceptOwnReply(from: string, envelope: TEnvelope): void {
    if (envelope.kind !== "reply") {
      log.warn("channel.reply_dropped", { from, correlationId: envelope.correlationId, why: "not a reply" });
      return;
    }
    const waiting = this.pending.get(envelope.correlationId);
    if (!waiting || waiting.target !== from) {
      log.warn("channel.reply_dropped", { from, type: envelope.type, correlationId: envelope.correlationId, why: waiting ? "from another user" : "unknown correlation id" });
      return;
    }
    let message;
    try {
      message = this.replies.accept(envelope);
    } catch (error) {
      this.settle(envelope.correlationId)?.reject(new CommandFailedError(waiting.type, from, "bad_reply", (error as Error).message));
      return;
    }
    if (!message) return;
    const command = this.settle(envelope.correlationId);
    if (!command) return;
    if (message.error) command.reject(new CommandFailedError(command.type, from, message.error.code, message.error.message));
    else command.resolve(message.payload);
  }

  /**
   * What `userId`'s client said it understands, from its check-in (undefined: a new connection
   * that has not said yet). Only command batches are acted on.
   */
  noteCapabilities(userId: string, capabilities: readonly string[] | undefined): void {
    if (capabilities?.includes(CHANNEL_CAPABILITIES.commandBatches)) this.takesBatches.add(userId);
    else this.takesBatches.delete(userId);
  }

  /** A client access URL for hub user `userId`, valid `minutes`, with no roles: it may only receive and send events. */
  async clientAccessUrl(userId: string, minutes: number): Promise<string> {
    const { url } = await this.service.getClientAccessToken({ userId, expirationTimeInMinutes: minutes, roles: [] });
    return url;
  }

  /**
   * Waits, briefly, for `target` to be connected: the hub drops a message sent to a user with no
   * connection, so a command to someone between connections (a blip, a platform restart) would
   * only ever time out.
   */
  private async awaitConnection(target: string, type: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await this.isConnected(target))) {
      if (Date.now() > deadline) throw new NotConnectedError(type, target, ms);
      await sleep(CONNECTION_POLL_MS);
    }
  }

  /** Whether `userId` has a connection open now. */
  isConnected(userId: string): Promise<boolean> {
    return this.service.userExists(userId);
  }

  /** Whether the hub holds connection `connectionId` now: what an event's headers claim, asked of the hub itself. */
  connectionExists(connectionId: string): Promise<boolean> {
    return this.service.connectionExists(connectionId);
  }

  /** Ends one connection; its client starts over with a fresh one (and a fresh `connect`). */
  closeConnection(connectionId: string, reason: string): Promise<void> {
    return this.service.closeConnection(connectionId, { reason });
  }

  /** Ends every connection of `userId`, e.g. when its key is retired. */
  disconnect(userId: string, reason: string): Promise<void> {
    return this.service.closeUserConnections(userId, { reason });
  }

  /** Answers when the hub does: an authenticated round trip that changes nothing. */
  async ping(timeoutMs: number): Promise<void> {
    await this.service.userExists(PLATFORM_USER, { abortSignal: AbortSignal.timeout(timeoutMs) });
  }

  get waiting(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const [correlationId, command] of this.pending) {
      this.settle(correlationId);
      command.reject(new ChannelClosedError(command.type));
    }
  }

  private settle(correlationId: string): PendingCommand | undefined {
    const command = this.pending.get(correlationId);
    if (!command) return undefined;
    clearTimeout(command.timer);
    this.pending.delete(correlationId);
    return command;
  }
}
