import type { JSONTypes } from "@azure/web-pubsub-client";
import { RUN_EVENT_BATCH, SIDECAR_EVENTS, type TRunEvent, type TRunEventBody } from "@/prisma-free-schema";
import type { OperatorLog } from "../shared/operator-log";
import type { EventLog } from "./event-log";

/**
 * Run events on their way out: each is numbered and written to the event log first, then sent in
 * order, in batches of whatever piled up while the previous batch was being acknowledged, without
 * the agent ever waiting for the channel. A batch that cannot be sent (disconnected, or the hub
 * did not acknowledge it) is not retried here: it is in the log, and the platform, which sees the
 * gap in sequence numbers, asks for it with `events.replay`.
 */
export type SendEvent = (event: string, data: JSONTypes) => Promise<boolean>;

/** Sends waiting beyond this are skipped (they stay in the log): a slow channel must not hold the sidecar's memory. */
const MAX_WAITING_SENDS = 1_000;

export class RunEvents {
  private sending: Promise<void> = Promise.resolve();
  private readonly queue: TRunEvent[] = [];
  private flushing = false;

  constructor(
    readonly log: EventLog,
    private readonly send: SendEvent,
    private readonly logger: OperatorLog,
  ) {}

  /** Logs `body` as the run's next event and queues it for sending; returns it at once. */
  record(runId: string, turn: number, body: TRunEventBody): TRunEvent {
    const event = this.log.append(runId, turn, body);
    if (this.queue.length >= MAX_WAITING_SENDS) {
      this.logger.debug("run event not sent now: the channel is behind", { runId, seq: event.seq });
      return event;
    }
    this.queue.push(event);
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

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const [batch] = batches(this.queue);
      this.queue.splice(0, batch!.length);
      if (!(await this.sendBatch(batch!))) {
        this.logger.debug("run events not sent; they stay in the log", { runId: batch![0]!.runId, fromSeq: batch![0]!.seq, count: batch!.length });
      }
    }
    this.flushing = false;
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
  const out: TRunEvent[][] = [];
  let current: TRunEvent[] = [];
  let chars = 0;
  for (const event of events) {
    const size = JSON.stringify(event).length;
    if (current.length > 0 && (current.length >= RUN_EVENT_BATCH.maxEvents || chars + size > RUN_EVENT_BATCH.maxChars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(event);
    chars += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
