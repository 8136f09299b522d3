import type { RawData, WebSocket } from "ws";
import { log } from "../../log";
import {
  type AckError,
  type ClientRequest,
  frames,
  messageBody,
  messageFrame,
  payloadFromFrame,
  RELIABLE_PROTOCOL,
  ZClientRequest,
  ZSequenceAck,
} from "./hub-messages";
import type { Hub } from "./hub-registry";
import type { EventSource, Upstream } from "./hub-upstream";

/**
 * One logical client connection speaking the JSON subprotocols (WEBPUBSUB.md §4). A reliable
 * connection outlives its socket: messages carry a `sequenceId`, stay buffered until the client's
 * `sequenceAck`, and are replayed when the client comes back with its reconnection token within
 * the recovery window (§4.5). Every buffer here is bounded; past a bound the connection is closed
 * with 1008, which tells the SDK to start over with a fresh connection instead of recovering.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const RECOVERY_WINDOW_MS = 30_000;
const MAX_UNACKED_MESSAGES = 10_000;
const MAX_UNACKED_CHARS = 16 * 1024 * 1024;
const MAX_SOCKET_BACKLOG_BYTES = 16 * 1024 * 1024;
const ACK_HISTORY = 1000;
/**
 * User events are delivered upstream one at a time, in order, per connection; a client may have
 * this many (and this many characters) waiting before it is told to slow down. Enough for an
 * operator answering 100 commands at once with room to spare.
 */
const MAX_PENDING_EVENTS = 1024;
const MAX_PENDING_EVENT_CHARS = 32 * 1024 * 1024;
const MAX_GROUPS_PER_CONNECTION = 1000;
/** Close codes that mean "the client ended it on purpose"; anything else on a reliable connection awaits recovery. */
const CLIENT_ENDED = new Set([1000, 1001, 1005]);

export interface ConnectionInit {
  home: Hub;
  id: string;
  userId: string | null;
  roles: readonly string[];
  protocol: string;
  reconnectionToken: string;
  signature: string;
  connectionState: string | undefined;
  upstream: Upstream;
}

export class HubConnection implements EventSource {
  readonly id: string;
  readonly userId: string | null;
  readonly subprotocol: string;
  readonly reliable: boolean;
  readonly reconnectionToken: string;
  readonly signature: string;
  readonly groups = new Set<string>();
  connectionState: string | undefined;
  ended = false;

  private readonly home: Hub;
  private readonly roles: ReadonlySet<string>;
  private readonly upstream: Upstream;
  private socket: WebSocket | undefined;
  private alive = true;
  private eventId = 0;
  private sequenceId = 0;
  private readonly unacked: { sequenceId: number; frame: string }[] = [];
  private unackedChars = 0;
  private readonly ackIds = new Set<number>();
  private pendingEvents = 0;
  private pendingEventChars = 0;
  private upstreamQueue: Promise<void> = Promise.resolve();
  private recoveryTimer: NodeJS.Timeout | undefined;

  constructor(init: ConnectionInit) {
    this.home = init.home;
    this.id = init.id;
    this.userId = init.userId;
    this.roles = new Set(init.roles);
    this.subprotocol = init.protocol;
    this.reliable = init.protocol === RELIABLE_PROTOCOL;
    this.reconnectionToken = init.reconnectionToken;
    this.signature = init.signature;
    this.connectionState = init.connectionState;
    this.upstream = init.upstream;
  }

  get hub(): string {
    return this.home.name;
  }

  get connectionId(): string {
    return this.id;
  }

  nextEventId(): number {
    return this.eventId++;
  }

  /** A fresh connection gets `system/connected`; a recovered one gets its un-acked messages again, in order. */
  attach(socket: WebSocket, fresh: boolean): void {
    const previous = this.socket;
    this.socket = socket;
    this.alive = true;
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    // A client may come back before the hub noticed its old socket died; the old one just goes.
    previous?.terminate();
    socket.on("message", (data, isBinary) => this.onMessage(socket, data, isBinary));
    socket.on("close", (code, reason) => this.onClose(socket, code, reason.toString("utf8")));
    socket.on("error", (error) => this.onError(socket, error));
    socket.on("pong", () => (this.alive = true));
    if (fresh) {
      this.send(frames.connected(this.userId, this.id, this.reliable ? this.reconnectionToken : undefined));
      this.queueUpstream(() => this.upstream.notify(this, "connected", {}));
    } else {
      for (const { frame } of this.unacked) this.send(frame);
    }
  }

  /** Ends the connection for good: `system/disconnected`, close, upstream `disconnected` with the reason. */
  end(reason: string, code = 1008): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.recoveryTimer);
    this.home.remove(this);
    const socket = this.socket;
    if (socket && socket.readyState === socket.OPEN) {
      socket.send(frames.disconnected(reason));
      socket.close(code, closeReason(reason));
    }
    this.unacked.length = 0;
    this.queueUpstream(() => this.upstream.notify(this, "disconnected", { reason }));
  }

  /** Delivers a `message` frame body; on a reliable connection it is numbered and kept until acknowledged. */
  deliver(body: string): void {
    if (this.ended) return;
    if (!this.reliable) return this.send(messageFrame(body, undefined));
    this.sequenceId += 1;
    const frame = messageFrame(body, this.sequenceId);
    this.unacked.push({ sequenceId: this.sequenceId, frame });
    this.unackedChars += frame.length;
    if (this.unacked.length > MAX_UNACKED_MESSAGES || this.unackedChars > MAX_UNACKED_CHARS) {
      return this.end("The client fell too far behind in acknowledging messages.");
    }
    this.send(frame);
  }

  /** Called every heartbeat interval: a socket that answered nothing since the last one is dead. */
  heartbeat(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return;
    if (!this.alive) return socket.terminate();
    this.alive = false;
    socket.ping();
  }

  private send(frame: string): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_SOCKET_BACKLOG_BYTES) return this.end("The client is not reading its messages.");
    socket.send(frame);
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.ended) return;
    if (this.reliable && !CLIENT_ENDED.has(code)) {
      this.recoveryTimer = setTimeout(() => this.end("The client did not recover the connection in time."), RECOVERY_WINDOW_MS);
      this.recoveryTimer.unref();
      return;
    }
    this.end(reason || (CLIENT_ENDED.has(code) ? "The client closed the connection." : `The connection dropped (close code ${code}).`));
  }

  private onError(socket: WebSocket, error: Error & { code?: string }): void {
    if (socket !== this.socket) return;
    // ws reports protocol violations (oversized or malformed frames) as WS_ERR_* and has already
    // sent the close frame (1009 for size); those end the connection. Socket errors end in `close`.
    if (error.code?.startsWith("WS_ERR_")) {
      const tooLarge = error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
      this.end(tooLarge ? `The client sent a message larger than ${MAX_FRAME_BYTES} bytes.` : "The client sent an invalid WebSocket frame.");
    }
  }

  private onMessage(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (socket !== this.socket || this.ended) return;
    this.alive = true;
    if (isBinary) return this.end("Binary frames are not part of the JSON subprotocol.");
    let frame: unknown;
    try {
      frame = JSON.parse(toBuffer(data).toString("utf8"));
    } catch {
      return this.end("The client sent a message that is not JSON.");
    }
    if (frame === null || typeof frame !== "object" || typeof (frame as { type?: unknown }).type !== "string") {
      return this.end("The client sent a message without a type.");
    }
    const type = (frame as { type: string }).type;
    switch (type) {
      case "ping":
        return this.send(frames.pong());
      case "sequenceAck": {
        const ack = ZSequenceAck.safeParse(frame);
        if (ack.success && this.reliable) this.acknowledge(ack.data.sequenceId);
        return;
      }
      case "invoke":
        return this.send(frames.invokeUnsupported((frame as { invocationId?: unknown }).invocationId ?? null));
      case "joinGroup":
      case "leaveGroup":
      case "sendToGroup":
      case "event": {
        const request = ZClientRequest.safeParse(frame);
        if (request.success) return this.onRequest(request.data);
        const ackId = (frame as { ackId?: unknown }).ackId;
        if (typeof ackId === "number") this.reply(ackId, { name: "BadRequest", message: request.error.issues[0]?.message ?? "Invalid request." });
        return;
      }
      default:
        // Newer SDKs may send frame types this hub does not know; ignoring them is what the SDK does the other way round.
        log.debug("channel.hub.unknown_frame", { type, connectionId: this.id });
    }
  }

  private onRequest(request: ClientRequest): void {
    const { ackId } = request;
    if (ackId !== undefined && this.ackIds.has(ackId)) {
      return this.reply(ackId, { name: "Duplicate", message: `The message with ackId ${ackId} was already processed.` });
    }
    switch (request.type) {
      case "joinGroup":
      case "leaveGroup": {
        if (!this.may("joinLeaveGroup", request.group)) return this.reply(ackId, forbidden(`join or leave group '${request.group}'`));
        if (request.type === "leaveGroup") this.home.leave(this, request.group);
        else if (this.groups.has(request.group) || this.groups.size < MAX_GROUPS_PER_CONNECTION) this.home.join(this, request.group);
        else return this.reply(ackId, { name: "BadRequest", message: `A connection can be in at most ${MAX_GROUPS_PER_CONNECTION} groups.` });
        return this.reply(ackId);
      }
      case "sendToGroup": {
        if (!this.may("sendToGroup", request.group)) return this.reply(ackId, forbidden(`send to group '${request.group}'`));
        const payload = payloadFromFrame(request.dataType, request.data);
        if (!payload.ok) return this.reply(ackId, { name: "BadRequest", message: payload.message });
        const body = messageBody({ from: "group", group: request.group, fromUserId: this.userId }, payload.value);
        for (const member of this.home.groupMembers(request.group)) {
          if (!(request.noEcho && member === this)) member.deliver(body);
        }
        return this.reply(ackId);
      }
      case "event":
        return this.onEvent(request);
    }
  }

  /** A user event is blocking: the handler's answer (if any) reaches the client before the ack. */
  private onEvent(request: Extract<ClientRequest, { type: "event" }>): void {
    const { ackId } = request;
    const payload = payloadFromFrame(request.dataType, request.data);
    if (!payload.ok) return this.reply(ackId, { name: "BadRequest", message: payload.message });
    const chars = payload.value.dataJson.length;
    if (this.pendingEvents >= MAX_PENDING_EVENTS || this.pendingEventChars + chars > MAX_PENDING_EVENT_CHARS) {
      return this.reply(ackId, { name: "InternalServerError", message: "Too many events are waiting for the event handler." });
    }
    if (ackId !== undefined) this.remember(ackId);
    this.pendingEvents += 1;
    this.pendingEventChars += chars;
    this.queueUpstream(async () => {
      const outcome = await this.upstream.userEvent(this, request.event, payload.value);
      this.pendingEvents -= 1;
      this.pendingEventChars -= chars;
      if (!outcome.ok) {
        // Not processed: forget the ackId so a retry with the same id is tried again, not reported Duplicate.
        if (ackId !== undefined) this.ackIds.delete(ackId);
        return this.reply(ackId, { name: "InternalServerError", message: outcome.message });
      }
      if (outcome.state !== undefined) this.connectionState = outcome.state || undefined;
      if (outcome.response) this.deliver(messageBody({ from: "server" }, outcome.response));
      if (ackId !== undefined) this.send(frames.ack(ackId));
    });
  }

  /** Acks a processed request (remembering its ackId) or reports an error; no ackId means fire-and-forget. */
  private reply(ackId: number | undefined, error?: AckError): void {
    if (ackId === undefined) return;
    if (!error) this.remember(ackId);
    this.send(frames.ack(ackId, error));
  }

  private remember(ackId: number): void {
    this.ackIds.add(ackId);
    if (this.ackIds.size > ACK_HISTORY) {
      const oldest = this.ackIds.values().next().value;
      if (oldest !== undefined) this.ackIds.delete(oldest);
    }
  }

  private acknowledge(sequenceId: number): void {
    let count = 0;
    while (count < this.unacked.length && this.unacked[count]!.sequenceId <= sequenceId) {
      this.unackedChars -= this.unacked[count]!.frame.length;
      count += 1;
    }
    this.unacked.splice(0, count);
  }

  private may(action: "joinLeaveGroup" | "sendToGroup", group: string): boolean {
    return this.roles.has(`webpubsub.${action}`) || this.roles.has(`webpubsub.${action}.${group}`);
  }

  /** Upstream calls for one connection go out in order, so `disconnected` never overtakes `connected`. */
  private queueUpstream(step: () => Promise<void>): void {
    this.upstreamQueue = this.upstreamQueue.then(step).catch((error: unknown) => {
      log.error("channel.hub.upstream_step_failed", { connectionId: this.id, error });
    });
  }
}

function forbidden(what: string): AckError {
  return { name: "Forbidden", message: `The connection has no role that allows it to ${what}.` };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A close reason must fit in 123 bytes of UTF-8 (RFC 6455 §5.5); cut on a character boundary. */
function closeReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out, "utf8") > 123) out = out.slice(0, -1);
  return out;
}
