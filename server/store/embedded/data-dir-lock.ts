import fs from "node:fs";
import path from "node:path";
import { pidNamespace, startTicks } from "../../process-facts";

/** The holder touches its lock this often; one untouched for STALE_MS has no live holder. */
const HEARTBEAT_MS = 2_000;
const STALE_MS = 15_000;
const POLL_MS = 200;

/** The lock held: releasing it, and touching it by hand (during a long synchronous start, when its timer cannot run). */
export type DataDirLock = (() => void) & { touch(): void };

/**
 * Two processes replaying and appending one journal would corrupt it, so the embedded store
 * holds a lock file naming its pid, when that process started and its PID namespace (where /proc
 * says them), and touches it every 2 s while it lives. Whether the holder still lives:
 *  - in our own PID namespace, /proc tells: a lock of a process that is gone (kill -9) is taken
 *    over, and so is one whose pid now belongs to another process (in a container the platform is
 *    pid 1 every time it starts, so after a crash the old lock names a live pid that is not it);
 *  - in another namespace (a container started again, or a second container on the same volume),
 *    its pid means nothing here: a lock still being touched has a live holder and is refused; one
 *    untouched for 15 s is taken over (a start after a kill -9 waits that long, at most).
 * Only one of several starting at once takes a dead lock over (the one that makes LOCK.takeover
 * first), and a holder that finds its lock no longer names it says so (`onLost`): the store then
 * stops accepting writes rather than share the journal.
 */
export function acquireDataDirLock(dir: string, options: { onLost?: () => void } = {}): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "LOCK");
  const marker = `${file}.takeover`;
  const mine = lockLine(process.pid);
  const deadline = Date.now() + STALE_MS * 3;
  while (Date.now() < deadline) {
    if (create(file, mine)) return held(file, mine, options.onLost);
    const judged = read(file);
    if (judged === undefined) continue;
    const [pidText, startedText, namespace] = judged.trim().split(/\s+/);
    const holder = Number(pidText);
    if (namespace !== undefined && namespace !== pidNamespace(process.pid)) {
      if (isTouched(file)) throw inUse(dir, file, holder, " in another PID namespace");
    } else if (holder && isAlive(holder) && (startedText === undefined || startedText === startTicks(holder))) {
      // The same pid and start counts as a holder too: this process already has the store open.
      throw inUse(dir, file, holder, "");
    }
    // Dead: taken over by whoever makes the marker first, and only if the lock is still the one judged.
    if (!create(marker, mine)) {
      if (Date.now() - (mtimeOf(marker) ?? Date.now()) > STALE_MS) fs.rmSync(marker, { force: true });
      else sleep(POLL_MS);
      continue;
    }
    try {
      if (read(file) === judged) fs.rmSync(file, { force: true });
    } finally {
      fs.rmSync(marker, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}: it kept changing hands. Is another Disco Parrot store starting on this DATA_DIR?`);
}

function held(file: string, mine: string, onLost: (() => void) | undefined): DataDirLock {
  const beat = () => {
    if (read(file) === mine) return touch(file);
    clearInterval(heartbeat);
    onLost?.();
  };
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  heartbeat.unref();
  return Object.assign(
    () => {
      clearInterval(heartbeat);
      if (read(file) === mine) fs.rmSync(file, { force: true });
    },
    { touch: () => touch(file) },
  );
}

function inUse(dir: string, file: string, holder: number, where: string): Error {
  return new Error(
    `DATA_DIR ${path.dirname(dir)} is in use by another Disco Parrot store (pid ${holder}${where}); stop it or choose another DATA_DIR ` +
      `(if no such process runs Disco Parrot, delete ${file})`,
  );
}

/** Creates `file` holding `content` only if it does not exist; false when it does. */
function create(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Whether `file`'s holder still touches it: looks until it is touched again, or could have been untouched for STALE_MS. */
function isTouched(file: string): boolean {
  const before = mtimeOf(file);
  if (before === undefined) return false;
  while (Date.now() - before < STALE_MS) {
    sleep(POLL_MS);
    const now = mtimeOf(file);
    if (now === undefined) return false;
    if (now !== before) return true;
  }
  return false;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // Removed under us (released, or by hand): nothing to keep alive.
  }
}

/** What the lock file says: the pid, and its start time and PID namespace where /proc tells them. */
export function lockLine(pid: number): string {
  const started = startTicks(pid);
  const namespace = pidNamespace(pid);
  return started === undefined ? String(pid) : namespace === undefined ? `${pid} ${started}` : `${pid} ${started} ${namespace}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
