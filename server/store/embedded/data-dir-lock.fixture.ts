/**
 * Holds the DATA_DIR lock on the folder named in argv as the process it runs in (PID 1 of a
 * fresh PID namespace, in data-dir-lock.test.ts), says "locked" or "refused: …", and then
 * waits to be killed.
 */
import { acquireDataDirLock } from "./data-dir-lock";

try {
  acquireDataDirLock(process.argv[2]!);
  process.stdout.write(`locked as pid ${process.pid}\n`);
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(`refused: ${(error as Error).message}\n`);
  process.exit(3);
}
