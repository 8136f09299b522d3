import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { type TRunEvent, type TRunEventBody, ZRunEvent } from "@/prisma-free-schema";

/**
 * Every run event the sidecar emits, as one JSON line each, in the sandbox. It is the source of
 * truth for sequence numbers: `append` gives the run's next one (1, 2, 3, …, continuing after a
 * restart from what the file holds) and writes the line before anyone sends it, so an event the
 * platform has not got can always be sent again (`after`).
 *
 * Writes are synchronous `write(2)` calls on an append-mode descriptor: the line is in the
 * kernel before `append` returns, so a crash of the sidecar loses nothing it said it wrote (a
 * crash of the machine may lose the tail; nothing was sent past it). A crash mid-write leaves a
 * torn last line, which opening the log cuts off.
 */
export interface OpenTurn {
  runId: string;
  turn: number;
  startedAt: string;
}

export class EventLog {
  private readonly lastSeqs = new Map<string, number>();
  /** Per run, a turn whose `turn.started` has no `turn.ended` yet. */
  private readonly openTurns = new Map<string, OpenTurn>();
  /** Per run, the highest turn this sandbox has started. */
  private readonly startedTurns = new Map<string, number>();
  private fd: number | undefined;

  private constructor(readonly file: string) {}

  /** Opens (creating it and its directory if need be) and reads the log; cuts off a torn last line. */
  static open(file: string): EventLog {
    const log = new EventLog(file);
    mkdirSync(path.dirname(file), { recursive: true });
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    const end = text.endsWith("\n") ? text.length : text.lastIndexOf("\n") + 1;
    for (const line of text.slice(0, end).split("\n")) {
      const event = parseLine(line);
      if (event) log.remember(event);
    }
    log.fd = openSync(file, "a");
    if (end < text.length) ftruncateSync(log.fd, Buffer.byteLength(text.slice(0, end), "utf8"));
    return log;
  }

  /** Numbers `body` as the run's next event, writes it, and returns it (for sending). */
  append(runId: string, turn: number, body: TRunEventBody): TRunEvent {
    if (this.fd === undefined) throw new Error("the event log is closed");
    const event = { runId, seq: this.lastSeq(runId) + 1, turn, at: new Date().toISOString(), ...body } as TRunEvent;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    this.remember(event);
    return event;
  }

  /**
   * The run's events after `afterSeq`, in order: through `throughSeq` when given, and no more
   * than `maxChars` of them (at least one) when given. A run's events are in the file in seq
   * order, so reading stops as soon as either bound is reached.
   */
  async after(runId: string, afterSeq: number, bounds: { throughSeq?: number; maxChars?: number } = {}): Promise<TRunEvent[]> {
    const { throughSeq = Infinity, maxChars = Infinity } = bounds;
    const found: TRunEvent[] = [];
    if (this.fd !== undefined && fstatSync(this.fd).size === 0) return found;
    const input = createReadStream(this.file, { encoding: "utf8" });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let chars = 0;
    try {
      for await (const line of lines) {
        // A cheap test first: most lines of a long log belong to other runs.
        if (!line.includes(runId)) continue;
        const event = parseLine(line);
        if (!event || event.runId !== runId || event.seq <= afterSeq) continue;
        if (event.seq > throughSeq || (found.length > 0 && chars + line.length > maxChars)) break;
        found.push(event);
        chars += line.length;
      }
    } finally {
      lines.close();
      input.destroy();
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /**
   * The run's next event is numbered after `seq` at least: a run that moved here from another
   * sandbox keeps one unbroken sequence. Persisted by the next `append`.
   */
  continueAfter(runId: string, seq: number): void {
    this.lastSeqs.set(runId, Math.max(seq, this.lastSeq(runId)));
  }

  lastSeq(runId: string): number {
    return this.lastSeqs.get(runId) ?? 0;
  }

  /** The highest sequence number per run the log holds. */
  allLastSeqs(): Record<string, number> {
    return Object.fromEntries(this.lastSeqs);
  }

  /** The highest turn of the run this sandbox has started (0 if none): a turn is run once, however often it is handed over. */
  lastStartedTurn(runId: string): number {
    return this.startedTurns.get(runId) ?? 0;
  }

  /** Turns that started and never ended: the sidecar stopped mid-turn. */
  unfinishedTurns(): OpenTurn[] {
    return [...this.openTurns.values()];
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private remember(event: TRunEvent): void {
    this.lastSeqs.set(event.runId, Math.max(event.seq, this.lastSeq(event.runId)));
    if (event.kind === "turn.started") {
      this.openTurns.set(event.runId, { runId: event.runId, turn: event.turn, startedAt: event.at });
      this.startedTurns.set(event.runId, Math.max(event.turn, this.lastStartedTurn(event.runId)));
    }
    if (event.kind === "turn.ended") this.openTurns.delete(event.runId);
  }
}

function parseLine(line: string): TRunEvent | undefined {
  if (!line.trim()) return undefined;
  try {
    const parsed = ZRunEvent.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
