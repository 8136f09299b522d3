import { createOperatorLog, LOG_LEVELS, type OperatorLog } from "./operator-log";

/** Exit codes every program in operators/ shares; each may add its own from 3 up. */
export const EXIT = { stopped: 0, failed: 1, badSettings: 2 } as const;
/** After stopping, the process should end by itself; if something still holds it, it is ended. */
const EXIT_GRACE_MS = 5_000;

/** The program's log: JSON lines on stdout at DISCOPARROT_LOG_LEVEL (default info). */
export function programLog(): OperatorLog {
  const raw = process.env.DISCOPARROT_LOG_LEVEL;
  return createOperatorLog({ level: LOG_LEVELS.find((level) => level === raw) ?? "info" });
}

/** Calls `stop` on SIGINT or SIGTERM until the returned function is called. */
export function stopOnSignals(log: OperatorLog, stop: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info("stopping", { signal });
    void stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/**
 * Runs `main` as the process: its result is the exit code; the process is then left to end by
 * itself, and ended after a grace period if something still holds it open.
 */
export function runProgram(name: string, log: OperatorLog, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => {
        log.warn(`still running ${EXIT_GRACE_MS / 1000} s after stopping; exiting`);
        process.exit(code);
      }, EXIT_GRACE_MS).unref();
    },
    (error: unknown) => {
      log.error(`${name} failed`, { error });
      process.exit(EXIT.failed);
    },
  );
}
