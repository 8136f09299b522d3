import type { JSONTypes } from "@azure/web-pubsub-client";
import { SIDECAR_EVENTS, type TRunEvent, type TRunEventBody } from "@/prisma-free-schema";
import type { OperatorLog } from "../shared/operator-log";
import type { EventLog } from "./event-log";

/**
 * Run events on their way out: each is numbered and written to the event log first, then sent,
 * one at a time in order, without the agent ever waiting for the channel. An event that cannot be
 * sent (disconnected, or the hub did not acknowledge it) is not retried here: it is in the log,
 * and the platform, which sees the gap in sequence numbers, asks for it with `events.replay`.
 */
export type SendEvent = (event: string, data: JSONTypes) => Promise<boolean>;

/** Sends waiting beyond this are skipped (they stay in the log): a slow channel must not hold the sidecar's memory. */
const MAX_WAITING_SENDS = 1_000;

export class RunEvents {
  private sending: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    readonly log: EventLog,
    private readonly send: SendEvent,
    private readonly logger: OperatorLog,
  ) {}

  /** Logs `body` as the run's next event and queues it for sending; returns it at once. */
  record(runId: string, turn: number, body: TRunEventBody): TRunEvent {
    const event = this.log.append(runId, turn, body);
    if (this.waiting >= MAX_WAITING_SENDS) {
      this.logger.debug("run event not sent now: the channel is behind", { runId, seq: event.seq });
      return event;
    }
    this.waiting += 1;
    this.sending = this.sending.then(async () => {
      const sent = await this.send(SIDECAR_EVENTS.runEvent, event as unknown as JSONTypes).catch(() => false);
      this.waiting -= 1;
      if (!sent) this.logger.debug("run event not sent; it stays in the log", { runId, seq: event.seq });
    });
    return event;
  }

  /** Sends `events` (from the log) again, in order, each acknowledged before the next; stops at the first that fails. */
  async resend(events: TRunEvent[], signal: AbortSignal): Promise<number> {
    let sent = 0;
    for (const event of events) {
      if (signal.aborted || !(await this.send(SIDECAR_EVENTS.runEvent, event as unknown as JSONTypes))) break;
      sent += 1;
    }
    return sent;
  }

  /** Resolves when everything recorded so far has been sent or given up on. */
  drained(): Promise<void> {
    return this.sending;
  }
}
