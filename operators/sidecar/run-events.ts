import type { JSONTypes } from "@azure/web-pubsub-client";
import { RUN_EVENT_BATCH, SIDECAR_EVENTS, type TRunEvent, type TRunEventBody } from "@/prisma-free-schema";
import { takeSizedBatch } from "@/prisma-free-schema/channel-envelope";
import type { OperatorLog } from "../shared/operator-log";
import type { EventLog } from "./event-log";

/**
 * Run events on their way out: each is numbered and written to the event log first, then sent in
 * order, in batches of whatever piled up while the previous batch was being acknowledged, without
 * the agent ever waiting for the channel. When more is waiting than the sidecar keeps in memory,
 * the run falls behind: its new events stay only in the log, and once the queue has drained they
 * are read back from the log and sent, still in order. A batch that cannot be sent (disconnected,
 * or the hub did not acknowledge it) is not retried here: it is in the log, and the platform,
 * which sees the gap in sequence numbers, asks for it with `events.replay`.
 */
export type SendEvent = (event: string, data: JSONTypes) => Promise<boolean>;

/** At most this much JSON waits in memory to be sent; past it, a run catches up from its log instead. */
const MAX_WAITING_CHARS = 8 * 1024 * 1024;
/**
 * Full batches sent before the first is acknowledged: a chatty agent's events are not held up by
 * one round trip at a time. The hub hands a connection's events on in the order they were sent;
 * a batch that fails leaves a hole the platform asks for.
 */
const MAX_IN_FLIGHT = 3;
const RUN_EVENT_BATCH_BOUNDS = { items: RUN_EVENT_BATCH.maxEvents, bytes: RUN_EVENT_BATCH.maxChars };

export class RunEvents {
  private sending: Promise<void> = Promise.resolve();
  /** Events waiting to be sent, each with its size as sent (measured once). */
  private readonly queue: { event: TRunEvent; bytes: number }[] = [];
  private queuedChars = 0;
  /** Per run that fell behind, the first seq not queued: from there on its events are read back from the log. */
  private readonly behind = new Map<string, number>();
  private flushing = false;

  constructor(
    readonly log: EventLog,
    private readonly send: SendEvent,
    private readonly logger: OperatorLog,
    private readonly maxWaitingChars = MAX_WAITING_CHARS,
  ) {}

  /** Logs `body` as the run's next event and queues it for sending; returns it at once. */
  record(runId: string, turn: number, body: TRunEventBody): TRunEvent {
    const event = this.log.append(runId, turn, body);
    if (!this.behind.has(runId) && this.queuedChars >= this.maxWaitingChars) {
      this.logger.debug("the channel is behind: sending this run's events from the log once it catches up", { runId, seq: event.seq });
      this.behind.set(runId, event.seq);
    }
    if (!this.behind.has(runId)) this.enqueue(event);
    if (!this.flushing) {
      this.flushing = true;
      this.sending = this.flush();
    }
    return event;
  }

  /** Sends `events` (from the log) again, in order, a batch acknowledged before the next; stops at the first that fails. */
  async resend(events: TRunEvent[], signal: AbortSignal): Promise<number> {
    let sent = 0;
    for (const batch of batches(events)) {
      if (signal.aborted || !(await this.sendBatch(batch))) break;
      sent += batch.length;
    }
    return sent;
  }

  private enqueue(event: TRunEvent): void {
    const bytes = JSON.stringify(event).length;
    this.queue.push({ event, bytes });
    this.queuedChars += bytes;
  }

  private async flush(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    try {
      await this.sendAll(inFlight);
    } catch (error) {
      // Reading the log back failed (it stays behind, and the next event tries again); what is in flight still lands.
      this.logger.warn("could not read run events back from the log; they are sent when the next event comes, or replayed", { error });
      await Promise.all(inFlight);
    } finally {
      this.flushing = false;
    }
  }

  private async sendAll(inFlight: Set<Promise<void>>): Promise<void> {
    while (this.queue.length > 0 || this.behind.size > 0 || inFlight.size > 0) {
      if (this.queue.length === 0 && this.behind.size > 0 && inFlight.size === 0) await this.catchUp();
      // Another batch goes out before the last is acknowledged only when a full one is waiting;
      // otherwise what arrives meanwhile piles up into the next batch.
      const fullBatchWaiting = this.queue.length >= RUN_EVENT_BATCH.maxEvents || this.queuedChars >= RUN_EVENT_BATCH.maxChars;
      if (inFlight.size > 0 && (inFlight.size >= MAX_IN_FLIGHT || !fullBatchWaiting)) {
        await Promise.race(inFlight);
        continue;
      }
      if (this.queue.length === 0) break;
      const taken = takeSizedBatch(this.queue, RUN_EVENT_BATCH_BOUNDS);
      for (const { bytes } of taken) this.queuedChars -= bytes;
      const batch = taken.map(({ event }) => event);
      const sending: Promise<void> = this.sendBatch(batch).then((sent) => {
        inFlight.delete(sending);
        if (!sent) this.logger.debug("run events not sent; they stay in the log", { runId: batch[0]!.runId, fromSeq: batch[0]!.seq, count: batch.length });
      });
      inFlight.add(sending);
    }
  }

  /** Queues what the runs that fell behind logged meanwhile, as much as fits; a run all caught up is live again. */
  private async catchUp(): Promise<void> {
    for (const [runId, fromSeq] of [...this.behind]) {
      // Only as much as fits: a long backlog is read a memory's worth at a time.
      const logged = await this.log.after(runId, fromSeq - 1, { maxChars: Math.max(0, this.maxWaitingChars - this.queuedChars) });
      let next = fromSeq;
      for (const event of logged) {
        this.enqueue(event);
        next = event.seq + 1;
      }
      // Events recorded while the log was being read are queued behind these, in order, once the run is live again.
      if (next > this.log.lastSeq(runId)) this.behind.delete(runId);
      else this.behind.set(runId, next);
    }
  }

  private sendBatch(batch: TRunEvent[]): Promise<boolean> {
    return this.send(SIDECAR_EVENTS.runEvents, batch as unknown as JSONTypes).catch(() => false);
  }

  /** Resolves when everything recorded so far has been sent or given up on. */
  drained(): Promise<void> {
    return this.sending;
  }
}

/** `events` cut into batches within RUN_EVENT_BATCH's bounds, in order (a single oversized event goes alone). */
function batches(events: TRunEvent[]): TRunEvent[][] {
  const queue = events.map((event) => ({ event, bytes: JSON.stringify(event).length }));
  const out: TRunEvent[][] = [];
  while (queue.length > 0) out.push(takeSizedBatch(queue, RUN_EVENT_BATCH_BOUNDS).map(({ event }) => event));
  return out;
}
