import { describe, expect, it } from "vitest";
import { COMMAND_BATCH_MAX_ENVELOPES } from "@/prisma-free-schema";
import type { TEnvelope } from "@/prisma-free-schema/channel-envelope";
import { CommandOutbox } from "./command-outbox";

const envelope = (n: number): TEnvelope => ({
  v: 1,
  kind: "command",
  type: "probe",
  correlationId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  replyTo: "platform",
  chunk: { index: 0, count: 1 },
  payload: { n },
});

describe("the command outbox", () => {
  it("sends a lone command as itself, and what queues behind an in-flight message as one batch, in order", async () => {
    const sent: unknown[] = [];
    const outbox = new CommandOutbox(async (_user, message) => {
      sent.push(message);
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await outbox.post("host:a", envelope(0));
    expect(sent).toEqual([envelope(0)]);

    sent.length = 0;
    await Promise.all(Array.from({ length: 150 }, (_, n) => outbox.post("host:a", envelope(n))));
    // The first goes at once; the rest waited for it and went together, at most 64 to a message.
    expect(sent[0]).toEqual(envelope(0));
    expect(sent.slice(1).every((message) => Array.isArray(message) && message.length <= COMMAND_BATCH_MAX_ENVELOPES)).toBe(true);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(sent.flat()).toEqual(Array.from({ length: 150 }, (_, n) => envelope(n)));
  });

  it("keeps users apart, and fails every command of a message the hub refused", async () => {
    const outbox = new CommandOutbox(async (user) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (user === "host:down") throw new Error("the hub refused it");
    });
    const results = await Promise.allSettled([...Array.from({ length: 5 }, (_, n) => outbox.post("host:down", envelope(n))), outbox.post("host:up", envelope(9))]);
    expect(results.slice(0, 5).every((result) => result.status === "rejected")).toBe(true);
    expect(results[5]!.status).toBe("fulfilled");
  });
});
