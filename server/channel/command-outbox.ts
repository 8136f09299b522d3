import type { JSONTypes } from "@azure/web-pubsub";
import { COMMAND_BATCH_MAX_BYTES, COMMAND_BATCH_MAX_ENVELOPES } from "@/prisma-free-schema";
import { takeSizedBatch, type TEnvelope } from "@/prisma-free-schema/channel-envelope";

/** Sends one message to one hub user; rejects when the hub did not take it. */
export type SendToUser = (userId: string, message: JSONTypes) => Promise<void>;

interface Queued {
  envelope: TEnvelope;
  bytes: number;
  settle(error?: Error): void;
}

/**
 * Command envelopes on their way down to clients that take batches (ZCommandBatch): while one
 * message to a user is in flight, the envelopes for that user wait here and the next message
 * carries all of them, up to COMMAND_BATCH_MAX_ENVELOPES / COMMAND_BATCH_MAX_BYTES. A lone
 * envelope still goes as itself, so nothing waits when nothing is queued. The mirror of the
 * operators' ReplyOutbox: a hundred concurrent commands are a few hub requests, not a hundred.
 */
export class CommandOutbox {
  private readonly queues = new Map<string, Queued[]>();

  constructor(private readonly send: SendToUser) {}

  /** Resolves once the hub took the envelope; rejects with the hub's error when it did not. */
  post(userId: string, envelope: TEnvelope): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queued: Queued = { envelope, bytes: Buffer.byteLength(JSON.stringify(envelope)), settle: (error) => (error ? reject(error) : resolve()) };
      const queue = this.queues.get(userId);
      if (queue) return void queue.push(queued);
      this.queues.set(userId, [queued]);
      void this.flush(userId);
    });
  }

  private async flush(userId: string): Promise<void> {
    const queue = this.queues.get(userId)!;
    while (queue.length > 0) {
      const batch = takeSizedBatch(queue, { items: COMMAND_BATCH_MAX_ENVELOPES, bytes: COMMAND_BATCH_MAX_BYTES });
      try {
        await this.send(userId, (batch.length === 1 ? batch[0]!.envelope : batch.map((item) => item.envelope)) as unknown as JSONTypes);
        for (const item of batch) item.settle();
      } catch (error) {
        for (const item of batch) item.settle(error as Error);
      }
    }
    this.queues.delete(userId);
  }
}
