import { CHANNEL_EVENTS, REPLY_BATCH_MAX_BYTES, REPLY_BATCH_MAX_ENVELOPES } from "@/prisma-free-schema";
import { takeSizedBatch, type TEnvelope } from "@/prisma-free-schema/channel-envelope";

/** Sends one upstream event; rejects when the hub did not take it. */
export type SendEvent = (event: string, data: unknown) => Promise<void>;

/**
 * Reply envelopes on their way up to the platform. The hub hands one connection's events to the
 * platform one at a time, in order, so a hundred concurrent commands answered one event each
 * would wait for each other's HTTP round trips. Instead, while one event is in flight, replies
 * that become ready wait here, and the next event carries all of them (up to
 * REPLY_BATCH_MAX_ENVELOPES / REPLY_BATCH_MAX_BYTES) as one `replies` event. A lone reply still
 * goes up as a plain `reply`, so nothing is delayed when nothing is queued.
 */
export class ReplyOutbox {
  private readonly queue: { envelope: TEnvelope; bytes: number; settle: (delivered: boolean) => void }[] = [];
  private sending = false;

  constructor(
    private readonly send: SendEvent,
    private readonly onFailure: (error: unknown, envelopes: number) => void,
  ) {}

  /** Queues a reply's envelopes; resolves true once the hub took them, false if it refused. */
  async post(envelopes: TEnvelope[]): Promise<boolean> {
    const delivered = envelopes.map(
      (envelope) => new Promise<boolean>((settle) => this.queue.push({ envelope, bytes: Buffer.byteLength(JSON.stringify(envelope)), settle })),
    );
    void this.flush();
    return (await Promise.all(delivered)).every(Boolean);
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = takeSizedBatch(this.queue, { items: REPLY_BATCH_MAX_ENVELOPES, bytes: REPLY_BATCH_MAX_BYTES });
        try {
          if (batch.length === 1) await this.send(CHANNEL_EVENTS.reply, batch[0]!.envelope);
          else await this.send(CHANNEL_EVENTS.replies, batch.map((item) => item.envelope));
          for (const item of batch) item.settle(true);
        } catch (error) {
          this.onFailure(error, batch.length);
          for (const item of batch) item.settle(false);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
