import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type http from "node:http";
import type { JSONTypes, WebPubSubServiceClient } from "@azure/web-pubsub";
import { CHANNEL_EVENTS, PLATFORM_USER, ZReplyBatch } from "@/prisma-free-schema";
import { type ChannelMessage, Reassembler, toEnvelopes, ZEnvelope } from "@/prisma-free-schema/channel-envelope";

export interface UserEvent {
  at: number;
  event: string;
  userId: string | undefined;
  data: unknown;
}

const WAIT_MS = 8_000;

/**
 * The platform's side of the hub's CloudEvents, for test doubles: answers the abuse-protection
 * handshake, keeps every user event, reassembles replies, and sends commands as the platform
 * does. Waits are on changes, with a deadline.
 */
export class HubEventRecorder {
  readonly events: UserEvent[] = [];
  private readonly changed = new EventEmitter().setMaxListeners(0);
  private readonly replies = new Reassembler();
  private readonly completedReplies = new Map<string, ChannelMessage>();

  /**
   * Handles one request to the event handler. `onUserEvent` sees each user event first; it
   * returns false to leave the request unanswered (a platform that hangs on it).
   */
  handle(req: http.IncomingMessage, body: string, res: http.ServerResponse, onUserEvent?: (event: UserEvent) => boolean | void): void {
    if (req.method === "OPTIONS") return void res.writeHead(200, { "WebHook-Allowed-Origin": "*" }).end();
    const type = String(req.headers["ce-type"] ?? "");
    if (type.startsWith("azure.webpubsub.user.")) {
      const event: UserEvent = {
        at: Date.now(),
        event: String(req.headers["ce-eventname"] ?? ""),
        userId: req.headers["ce-userid"] as string | undefined,
        data: body ? (JSON.parse(body) as unknown) : undefined,
      };
      this.events.push(event);
      // A reply arrives as one envelope, or as several ready at once (as the platform takes them).
      const envelopes = event.event === CHANNEL_EVENTS.reply ? [ZEnvelope.parse(event.data)] : event.event === CHANNEL_EVENTS.replies ? ZReplyBatch.parse(event.data) : [];
      for (const envelope of envelopes) {
        const message = this.replies.accept(envelope);
        if (message) this.completedReplies.set(message.correlationId, message);
      }
      const answer = onUserEvent?.(event);
      this.changed.emit("change");
      if (answer === false) return;
    }
    res.writeHead(204).end();
  }

  /** Tells waiters that something they watch (outside the events) changed. */
  notify(): void {
    this.changed.emit("change");
  }

  /** Resolves with `check()`'s first defined answer, now or after a later change. */
  waitFor<T>(what: string, check: () => T | undefined, ms = WAIT_MS, detail: () => string = () => ""): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const onChange = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.changed.off("change", onChange);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.changed.off("change", onChange);
        const more = detail();
        reject(new Error(`timed out waiting for ${what}${more ? `; ${more}` : ""}`));
      }, ms);
      this.changed.on("change", onChange);
    });
  }

  /** Sends a command to `userId` the way the platform does and resolves with its (reassembled) reply. */
  /** Several single-envelope commands sent as one message (a command batch); resolves with their replies, in order. */
  async commandBatch(service: WebPubSubServiceClient, userId: string, commands: { type: string; payload: unknown }[], ms = WAIT_MS): Promise<ChannelMessage[]> {
    const sent = commands.map(({ type, payload }) => toEnvelopes({ kind: "command", type, correlationId: randomUUID(), replyTo: PLATFORM_USER, payload })[0]!);
    await service.sendToUser(userId, sent as unknown as JSONTypes);
    return Promise.all(sent.map((envelope) => this.waitFor(`the reply to ${envelope.type}`, () => this.completedReplies.get(envelope.correlationId), ms)));
  }

  async command(service: WebPubSubServiceClient, userId: string, type: string, payload: unknown, ms = WAIT_MS): Promise<ChannelMessage> {
    const correlationId = randomUUID();
    for (const envelope of toEnvelopes({ kind: "command", type, correlationId, replyTo: PLATFORM_USER, payload })) {
      // Sent as JSON (the SDK's default for an object), as the platform sends it.
      await service.sendToUser(userId, envelope as JSONTypes);
    }
    return this.waitFor(`the reply to ${type}`, () => this.completedReplies.get(correlationId), ms);
  }
}
