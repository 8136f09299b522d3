import fs from "node:fs";
import path from "node:path";

/** The holder touches its lock this often; one untouched for STALE_MS has no live holder. */
const HEARTBEAT_MS = 2_000;
const STALE_MS = 6_000;

/**
 * Two processes replaying and appending one journal would corrupt it, so the embedded store
 * holds a lock file naming its pid, when that process started and its PID namespace (where /proc
 * says them), and touches it every 2 s while it lives. Whether the holder still lives:
 *  - in our own PID namespace, /proc tells: a lock of a process that is gone (kill -9) is taken
 *    over, and so is one whose pid now belongs to another process (in a container the platform is
 *    pid 1 every time it starts, so after a crash the old lock names a live pid that is not it);
 *  - in another namespace (a container started again, or a second container on the same volume),
 *    its pid means nothing here: a lock still being touched has a live holder and is refused; one
 *    untouched for 6 s is taken over (a start after a kill -9 waits that long, at most).
 */
export function acquireDataDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "LOCK");
  const mine = lockLine(process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, mine, { flag: "wx" });
      const heartbeat = setInterval(() => touch(file), HEARTBEAT_MS);
      heartbeat.unref();
      return () => {
        clearInterval(heartbeat);
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText, startedText, namespace] = fs.readFileSync(file, "utf8").trim().split(/\s+/);
      const holder = Number(pidText);
      const inUse = (where: string) =>
        new Error(
          `DATA_DIR ${path.dirname(dir)} is in use by another Disco Parrot store (pid ${holder}${where}); stop it or choose another DATA_DIR ` +
            `(if no such process runs Disco Parrot, delete ${file})`,
        );
      if (namespace !== undefined && namespace !== pidNamespace(process.pid)) {
        if (isTouched(file)) throw inUse(` in another PID namespace`);
      } else if (holder && isAlive(holder) && (startedText === undefined || startedText === startTicks(holder))) {
        // The same pid and start counts as a holder too: this process already has the store open.
        throw inUse("");
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

/** Whether `file`'s holder still touches it: waits until it could have been untouched for STALE_MS, and looks again. */
function isTouched(file: string): boolean {
  const before = mtimeOf(file);
  if (before === undefined) return false;
  const wait = STALE_MS - (Date.now() - before);
  if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
  const after = mtimeOf(file);
  return after !== undefined && (after !== before || Date.now() - after < STALE_MS);
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

/** The PID namespace `pid` runs in (`pid:[4026531836]`), where /proc tells it. */
function pidNamespace(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** When `pid` started, in clock ticks since boot (/proc/<pid>/stat, field 22); undefined without /proc. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
