import fs from "node:fs";
import path from "node:path";

/**
 * Two processes replaying and appending one journal would corrupt it, so the embedded store
 * holds a lock file naming its pid and, where /proc says it, when that process started. A lock
 * left by a process that is gone (kill -9) is taken over, and so is one whose pid now belongs to
 * another process: in a container the platform is pid 1 every time it starts, so after a crash
 * and a restart the old lock names a live pid that is not its holder.
 */
export function acquireDataDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "LOCK");
  const mine = lockLine(process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, mine, { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText, startedText] = fs.readFileSync(file, "utf8").trim().split(/\s+/);
      const holder = Number(pidText);
      // The same pid and start counts as a holder too: this process already has the store open.
      if (holder && isAlive(holder) && (startedText === undefined || startedText === startTicks(holder))) {
        throw new Error(
          `DATA_DIR ${path.dirname(dir)} is in use by another Disco Parrot store (pid ${holder}); stop it or choose another DATA_DIR ` +
            `(if no such process runs Disco Parrot, delete ${file})`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

/** What the lock file says: the pid, and its start time where /proc tells it. */
export function lockLine(pid: number): string {
  const started = startTicks(pid);
  return started === undefined ? String(pid) : `${pid} ${started}`;
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
