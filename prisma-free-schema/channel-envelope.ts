import { z } from "zod";

/**
 * The one envelope for every message on the channel, command or reply (seed: network and
 * connectivity). A command carries a correlation id and the address to reply to; the reply
 * carries the same id. A payload whose JSON is over CHUNK_BYTES travels as several envelopes,
 * each with a base64 slice of it, and is reassembled in order; a message is either whole or
 * not at all.
 *
 * Not re-exported from the package index: it uses Node's Buffer, and the index is also loaded
 * by browser code.
 */
export const CHUNK_BYTES = 64 * 1024;
/** 1,024 chunks of 64 KiB: a 64 MiB ceiling on one message, far above any legitimate reply. */
export const MAX_CHUNKS = 1024;

export const ZMessageType = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/, { message: "Message types look like host.health" });

export const ZChannelError = z.object({ code: z.string().max(64), message: z.string().max(2000) });
export type TChannelError = z.infer<typeof ZChannelError>;

export const ZEnvelope = z
  .object({
    v: z.literal(1),
    kind: z.enum(["command", "reply"]),
    type: ZMessageType,
    correlationId: z.uuid(),
    /** Hub user id the reply goes to: a command says it, its reply repeats it (null from an operator older than that). */
    replyTo: z.string().min(1).max(128).nullable(),
    chunk: z.object({ index: z.number().int().min(0), count: z.number().int().min(1).max(MAX_CHUNKS) }),
    /** The payload itself, when it fits in one envelope. */
    payload: z.unknown().optional(),
    /** A base64 slice of the payload's JSON, when it does not. */
    part: z.string().max(Math.ceil(CHUNK_BYTES / 3) * 4).optional(),
    /** A reply that failed says why instead of carrying a payload. */
    error: ZChannelError.optional(),
  })
  .refine((e) => e.chunk.index < e.chunk.count, { message: "chunk index out of range", path: ["chunk"] })
  .refine((e) => (e.chunk.count === 1 ? e.part === undefined : e.part !== undefined && e.payload === undefined), {
    message: "a single envelope carries payload; a chunked one carries part",
    path: ["part"],
  })
  .refine((e) => e.kind === "reply" || e.replyTo !== null, { message: "a command needs a reply address", path: ["replyTo"] });
export type TEnvelope = z.infer<typeof ZEnvelope>;

export interface ChannelMessage {
  kind: TEnvelope["kind"];
  type: string;
  correlationId: string;
  replyTo: string | null;
  payload?: unknown;
  error?: TChannelError;
}

/** The envelopes that carry `message`: one if its JSON fits in CHUNK_BYTES, else slices in order. */
/**
 * Takes the next message's worth of queued items off the front of `queue`, in order: at most
 * `max.items` of them and `max.bytes` in all (a lone larger one still goes). Shared by the
 * operators' reply outbox, the platform's command outbox and the sidecar's run events.
 */
export function takeSizedBatch<T extends { bytes: number }>(queue: T[], max: { items: number; bytes: number }): T[] {
  let bytes = 0;
  let count = 0;
  while (count < queue.length && count < max.items && (count === 0 || bytes + queue[count]!.bytes <= max.bytes)) {
    bytes += queue[count]!.bytes;
    count += 1;
  }
  return queue.splice(0, count);
}

export function toEnvelopes(message: ChannelMessage): TEnvelope[] {
  const { kind, type, correlationId, replyTo, error } = message;
  const json = Buffer.from(JSON.stringify(message.payload ?? null), "utf8");
  if (json.length <= CHUNK_BYTES) {
    return [{ v: 1, kind, type, correlationId, replyTo, chunk: { index: 0, count: 1 }, payload: message.payload ?? null, ...(error ? { error } : {}) }];
  }
  const count = Math.ceil(json.length / CHUNK_BYTES);
  if (count > MAX_CHUNKS) throw new Error(`message ${type} is ${json.length} bytes, over the ${MAX_CHUNKS * CHUNK_BYTES}-byte limit`);
  return Array.from({ length: count }, (_, index) => ({
    v: 1 as const,
    kind,
    type,
    correlationId,
    replyTo,
    chunk: { index, count },
    part: json.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES).toString("base64"),
    ...(error && index === 0 ? { error } : {}),
  }));
}

interface Pending {
  first: TEnvelope;
  parts: (string | undefined)[];
  received: number;
  startedAt: number;
}

/**
 * Collects chunked envelopes until a message is whole. Chunks may arrive in any order and more
 * than once; a message is returned only when every chunk is there, and one that stays
 * incomplete past `maxAgeMs` is dropped by `sweep()` (its command then times out: never a
 * partial result).
 */
export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  /** Messages completed lately, so a chunk delivered twice cannot start the message again. */
  private readonly completed = new Map<string, number>();

  constructor(private readonly maxAgeMs = 60_000) {}

  /** The whole message once `envelope` completes it; undefined while chunks are missing. */
  accept(envelope: TEnvelope, now = Date.now()): ChannelMessage | undefined {
    const { kind, type, correlationId, replyTo, chunk } = envelope;
    if (chunk.count === 1) return { kind, type, correlationId, replyTo, payload: envelope.payload, ...(envelope.error ? { error: envelope.error } : {}) };

    const key = `${kind}:${correlationId}`;
    if (this.completed.has(key)) return undefined;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { first: envelope, parts: new Array<string | undefined>(chunk.count), received: 0, startedAt: now };
      this.pending.set(key, entry);
    }
    if (entry.parts.length !== chunk.count || entry.first.type !== type) throw new Error(`chunks of ${correlationId} disagree about the message they belong to`);
    if (entry.parts[chunk.index] === undefined) {
      entry.parts[chunk.index] = envelope.part;
      entry.received += 1;
    }
    if (envelope.error) entry.first = envelope;
    if (entry.received < chunk.count) return undefined;

    this.pending.delete(key);
    this.completed.set(key, now);
    const json = Buffer.concat(entry.parts.map((part) => Buffer.from(part!, "base64"))).toString("utf8");
    return { kind, type, correlationId, replyTo: entry.first.replyTo, payload: JSON.parse(json) as unknown, ...(entry.first.error ? { error: entry.first.error } : {}) };
  }

  /** Drops messages that stayed incomplete too long; returns their correlation ids. */
  sweep(now = Date.now()): string[] {
    for (const [key, at] of this.completed) if (now - at > this.maxAgeMs) this.completed.delete(key);
    const dropped: string[] = [];
    for (const [key, entry] of this.pending) {
      if (now - entry.startedAt > this.maxAgeMs) {
        this.pending.delete(key);
        dropped.push(entry.first.correlationId);
      }
    }
    return dropped;
  }

  /** How far along a chunked message is, if some but not all of it has arrived. */
  progress(kind: TEnvelope["kind"], correlationId: string): { received: number; count: number } | undefined {
    const entry = this.pending.get(`${kind}:${correlationId}`);
    return entry && { received: entry.received, count: entry.parts.length };
  }

  /** Forgets a message's chunks, e.g. once its command has timed out. */
  forget(kind: TEnvelope["kind"], correlationId: string): void {
    this.pending.delete(`${kind}:${correlationId}`);
  }

  get incomplete(): number {
    return this.pending.size;
  }
}
