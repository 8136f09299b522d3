import { type ChannelMessage, Reassembler, ZEnvelope } from "@/prisma-free-schema/channel-envelope";
import { ZCommandBatch } from "@/prisma-free-schema";
import type { OperatorLog } from "./operator-log";

/**
 * What arrives from the platform, before any handler sees it: every object is checked against the
 * envelope schema (anything else is logged and dropped, never half-handled), only commands are
 * taken, and chunked commands are held until they are whole. `sweep()` drops commands whose
 * chunks stopped coming; the platform's wait for them then times out.
 */
export class CommandInbox {
  private readonly reassembler: Reassembler;

  constructor(
    private readonly log: OperatorLog,
    maxAgeMs: number,
  ) {
    this.reassembler = new Reassembler(maxAgeMs);
  }

  /**
   * The whole commands `data` completes: one envelope, or a batch of them (a JSON array, sent
   * because this client announced CHANNEL_CAPABILITIES.commandBatches), each taken in order.
   */
  acceptMessage(data: unknown): ChannelMessage[] {
    if (!Array.isArray(data)) {
      const command = this.accept(data);
      return command ? [command] : [];
    }
    const batch = ZCommandBatch.safeParse(data);
    if (!batch.success) {
      this.log.warn("dropped a batch that is not 1 to 64 channel envelopes", { envelopes: data.length });
      return [];
    }
    return batch.data.flatMap((envelope) => this.accept(envelope) ?? []);
  }

  /** The whole command once `data` completes it; undefined while incomplete or when dropped. */
  accept(data: unknown): ChannelMessage | undefined {
    const parsed = ZEnvelope.safeParse(data);
    if (!parsed.success) {
      // The issue's path and message only: the data itself may be large, or not ours to log.
      const issue = parsed.error.issues[0];
      this.log.warn("dropped a message that is not a channel envelope", { issue: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : undefined });
      return undefined;
    }
    const envelope = parsed.data;
    if (envelope.kind !== "command") {
      this.log.warn("dropped a reply sent to the operator", { type: envelope.type, correlationId: envelope.correlationId });
      return undefined;
    }
    try {
      return this.reassembler.accept(envelope);
    } catch (error) {
      this.log.warn("dropped a command whose chunks disagree", { type: envelope.type, correlationId: envelope.correlationId, error });
      return undefined;
    }
  }

  sweep(): void {
    for (const correlationId of this.reassembler.sweep()) {
      this.log.warn("dropped a command whose chunks stopped arriving", { correlationId });
    }
  }
}
