import type { TRunEvent } from "@/prisma-free-schema";
import { RunEventFollower, type RunEventFollowerOptions } from "./run-event-follower";

export { STREAM_BUFFER_BYTES } from "./run-event-follower";

export interface RunEventBodyOptions extends RunEventFollowerOptions {
  /** Sent before any event (the SSE greeting). */
  greeting?: Uint8Array;
  /** The stream ended (closed, cancelled by the client, or failed): the caller lets go of what it holds; may come more than once. */
  onEnd?: () => void;
}

/**
 * One open stream of a run's events as a byte body: SSE frames in seq order, each once (see
 * RunEventFollower). Its buffer is the body's own queue, counted in bytes: the socket's
 * backpressure reaches it through whoever pipes the body to the response.
 */
export class RunEventBody extends RunEventFollower {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The most bytes this stream has had buffered at once (for tests and diagnostics). */
  peakBufferedBytes = 0;

  constructor(private readonly bodyOptions: RunEventBodyOptions) {
    super(bodyOptions);
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          if (bodyOptions.greeting) controller.enqueue(bodyOptions.greeting);
        },
        pull: () => this.resume(),
        cancel: () => {
          this.close();
          bodyOptions.onEnd?.();
        },
      },
      { highWaterMark: this.bufferBytes, size: (chunk) => chunk.byteLength },
    );
  }

  /** Writes something outside the event flow (a keep-alive comment): always whole frames, so never mid-event. */
  comment(bytes: Uint8Array): boolean {
    return !this.closed && this.enqueue(bytes);
  }

  protected room(): number {
    return this.controller.desiredSize ?? 0;
  }

  protected put(_events: readonly TRunEvent[], bytes: Uint8Array): void {
    this.enqueue(bytes);
  }

  protected end(error?: unknown): void {
    try {
      if (error === undefined) this.controller.close();
      else this.controller.error(error);
    } catch {
      // Already closed, or cancelled by the client: nothing left to end.
    }
    // Whoever holds the stream lets go of what it holds (its slot), however it ended.
    this.bodyOptions.onEnd?.();
  }

  private enqueue(chunk: Uint8Array): boolean {
    try {
      this.controller.enqueue(chunk);
    } catch {
      // The body was cancelled in the meantime; its cancel handler ends the stream.
      return false;
    }
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, this.bufferBytes - (this.controller.desiredSize ?? 0));
    return true;
  }
}
