import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES, type ChannelMessage, Reassembler, toEnvelopes, ZEnvelope } from "./channel-envelope";

function command(payload: unknown): ChannelMessage {
  return { kind: "command", type: "sandbox.read_file", correlationId: randomUUID(), replyTo: "platform", payload };
}

describe("channel envelopes", () => {
  it("sends a small payload as one valid envelope", () => {
    const envelopes = toEnvelopes(command({ path: "README.md" }));
    expect(envelopes).toHaveLength(1);
    expect(ZEnvelope.parse(JSON.parse(JSON.stringify(envelopes[0])))).toMatchObject({ chunk: { index: 0, count: 1 }, payload: { path: "README.md" } });
  });

  it("splits a 1 MiB reply into 64 KiB chunks that reassemble exactly, in any order, once", () => {
    const content = randomBytes(768 * 1024).toString("base64"); // ~1 MiB of text
    const message: ChannelMessage = { kind: "reply", type: "sandbox.read_file", correlationId: randomUUID(), replyTo: null, payload: { content, emoji: "🦜" } };
    const envelopes = toEnvelopes(message).map((e) => ZEnvelope.parse(JSON.parse(JSON.stringify(e))));
    expect(envelopes.length).toBe(Math.ceil(Buffer.byteLength(JSON.stringify(message.payload)) / CHUNK_BYTES));
    for (const envelope of envelopes) expect(Buffer.from(envelope.part!, "base64").length).toBeLessThanOrEqual(CHUNK_BYTES);

    const reassembler = new Reassembler();
    const shuffled = [...envelopes].reverse();
    const results = [...shuffled, envelopes[3]!].map((e) => reassembler.accept(e)).filter(Boolean);
    expect(results).toHaveLength(1);
    expect(results[0]).toEqual(message);
    expect(reassembler.incomplete).toBe(0);
  });

  it("never yields a partial result: a missing chunk leaves the message incomplete until swept", () => {
    const envelopes = toEnvelopes(command({ blob: "x".repeat(3 * CHUNK_BYTES) }));
    const reassembler = new Reassembler(1000);
    const results = envelopes.slice(0, -1).map((e) => reassembler.accept(e, 0));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(reassembler.sweep(500)).toEqual([]);
    expect(reassembler.sweep(1500)).toEqual([envelopes[0]!.correlationId]);
    expect(reassembler.incomplete).toBe(0);
  });

  it("refuses malformed envelopes", () => {
    const [good] = toEnvelopes(command({ a: 1 }));
    for (const bad of [
      { ...good, v: 2 },
      { ...good, correlationId: "not-a-uuid" },
      { ...good, type: "Host Health" },
      { ...good, replyTo: null },
      { ...good, chunk: { index: 2, count: 2 } },
      { ...good, chunk: { index: 0, count: 2 } },
    ]) {
      expect(ZEnvelope.safeParse(bad).success).toBe(false);
    }
  });
});
