import type { TRunEvent } from "@/prisma-free-schema";

/**
 * An event's SSE frame. `id:` is the seq, so what EventSource sends back as Last-Event-ID on
 * reconnect is the cursor to resume after. Cached per event object: the run's fan-out encodes a
 * live event once for every stream, and a stream catching up from the ring reuses those bytes.
 */
const frames = new WeakMap<TRunEvent, Uint8Array>();
export function runEventFrame(event: TRunEvent): Uint8Array {
  let bytes = frames.get(event);
  if (!bytes) {
    bytes = Buffer.from(`id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`);
    frames.set(event, bytes);
  }
  return bytes;
}

/** An SSE comment line (`: text`), which EventSource ignores: the greeting and the keep-alives. */
export function sseComment(text: string): Uint8Array {
  return Buffer.from(`: ${text}\n\n`);
}

/** The frames as one chunk (one write per stream instead of one per frame). */
export function joinFrames(frames: readonly Uint8Array[]): Uint8Array {
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}
