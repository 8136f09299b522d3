import fs from "node:fs";
import path from "node:path";

/**
 * The embedded store's durability: an append-only file of JSON lines, one per acknowledged
 * change. A change is written to the file (the operating system's cache) before the store
 * answers the request, so killing the process loses nothing it acknowledged; the file is
 * fsynced every second, so a machine crash loses at most the last second. On start the file is
 * replayed and rewritten compactly (one line per live document).
 */
export interface JournalCollection {
  id: string;
  partitionKey?: unknown;
  uniqueKeyPolicy?: unknown;
  indexingPolicy?: unknown;
  defaultTtl?: unknown;
}

/** A change to one item: what a batch record holds. */
export type JournalItemChange = { op: "put"; db: string; coll: string; doc: Record<string, unknown> } | { op: "del"; db: string; coll: string; id: string; pk: unknown };

export type JournalEntry =
  | { op: "db+"; db: string }
  | { op: "db-"; db: string }
  | { op: "coll+"; db: string; coll: JournalCollection }
  | { op: "coll-"; db: string; coll: string }
  /** A container's definition replaced (its indexing policy or default ttl; see replace-collection.ts). */
  | { op: "coll~"; db: string; coll: JournalCollection }
  | { op: "put"; db: string; coll: string; doc: Record<string, unknown> }
  | { op: "del"; db: string; coll: string; id: string; pk: unknown }
  /** A transactional batch's changes: one record, so a torn write drops all of them and never half. */
  | { op: "batch"; entries: JournalItemChange[] };

const FILE = "journal.jsonl";
const SYNC_INTERVAL_MS = 1000;

/** The end of a record a crash cut short: where it was and how much of it there was. */
export interface TornRecord {
  line: number;
  bytes: number;
}

export class Journal {
  private fd: number;
  private dirty = false;
  private syncing = false;
  private appendedSinceCompaction = 0;
  private liveAtCompaction = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly dir: string) {
    this.fd = fs.openSync(path.join(dir, FILE), "a", 0o600);
    this.timer = setInterval(() => this.syncSoon(), SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Opens the journal in `dir`, returning it with the entries written before (in order) and, when
   * the last record was cut short by a crash mid-write, what was dropped of it. Only that last
   * record, the one without its newline, can be torn: a record that fails to parse anywhere else
   * is corruption, and the store refuses to start rather than serve a database with a hole in it.
   */
  static open(dir: string, onProgress?: () => void): { journal: Journal; entries: JournalEntry[]; torn: TornRecord | null } {
    // The whole database is in here: owner-only, whoever else shares the machine.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, FILE);
    const entries: JournalEntry[] = [];
    let torn: TornRecord | null = null;
    if (fs.existsSync(file)) {
      const lines = fs.readFileSync(file, "utf8").split("\n");
      lines.forEach((line, index) => {
        if (!line) return;
        if (index % 10_000 === 0) onProgress?.();
        try {
          entries.push(JSON.parse(line) as JournalEntry);
        } catch (error) {
          if (index === lines.length - 1) torn = { line: index + 1, bytes: Buffer.byteLength(line) };
          else throw new Error(`Embedded store journal ${file} is corrupt at line ${index + 1}: the store will not start on a database with a hole in it. Restore ${file} from a backup.`, { cause: error });
        }
      });
    }
    return { journal: new Journal(dir), entries, torn };
  }

  get needsCompaction(): boolean {
    return this.appendedSinceCompaction > Math.max(50_000, this.liveAtCompaction);
  }

  append(entries: readonly JournalEntry[]): void {
    if (entries.length === 0) return;
    fs.writeSync(this.fd, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    this.appendedSinceCompaction += entries.length;
    this.dirty = true;
  }

  /** Replaces the file with `entries` (the live state) atomically: write aside, fsync, rename. */
  rewrite(entries: Iterable<JournalEntry>): void {
    const file = path.join(this.dir, FILE);
    const next = `${file}.next`;
    const fd = fs.openSync(next, "w", 0o600);
    let count = 0;
    let buffer = "";
    for (const entry of entries) {
      buffer += `${JSON.stringify(entry)}\n`;
      count += 1;
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = "";
      }
    }
    fs.writeSync(fd, buffer);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(next, file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(file, "a", 0o600);
    this.appendedSinceCompaction = 0;
    this.liveAtCompaction = count;
    this.dirty = false;
  }

  private syncSoon(): void {
    if (!this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fs.fdatasync(this.fd, () => {
      this.syncing = false;
    });
  }

  close(): void {
    clearInterval(this.timer);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
