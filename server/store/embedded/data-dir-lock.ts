import fs from "node:fs";
import path from "node:path";

/**
 * Two processes replaying and appending one journal would corrupt it, so the embedded store
 * holds a lock file naming its pid. A lock left by a process that is gone (kill -9) is taken over.
 */
export function acquireDataDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(file, "utf8").trim());
      // The same pid counts as a holder too: this process already has the store open.
      if (holder && isAlive(holder)) {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
