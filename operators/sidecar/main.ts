import { SIDECAR_ENV } from "@/prisma-free-schema";
import { createOperatorLog, LOG_LEVELS, type LogLevel } from "../shared/operator-log";
import { Sidecar } from "./sidecar";
import { readSidecarSettings } from "./sidecar-settings";

/**
 * The sidecar as a program: `node --import tsx operators/sidecar/main.ts`, with its settings in
 * the environment (SIDECAR_ENV). It owns signals and exit codes:
 *
 *   0  stopped by SIGINT / SIGTERM (a running turn is cancelled first, and ends as cancelled)
 *   1  an unexpected failure
 *   2  bad settings (one log line naming the variable), or an event log that cannot be opened
 */
const EXIT = { stopped: 0, failed: 1, badSettings: 2 } as const;
/** After stopping, the process should end by itself; if something still holds it, it is ended. */
const EXIT_GRACE_MS = 5_000;

const log = createOperatorLog({ level: logLevel(process.env.DISCOPARROT_LOG_LEVEL) });

async function main(): Promise<number> {
  const read = readSidecarSettings(process.env);
  if (!read.ok) {
    log.error(`invalid sidecar setting ${read.problem}`);
    return EXIT.badSettings;
  }
  const { settings } = read;
  const sandboxLog = log.child({ sandboxId: settings.sandboxId });

  let sidecar: Sidecar;
  try {
    sidecar = new Sidecar({ settings, log: sandboxLog });
  } catch (error) {
    sandboxLog.error(`invalid sidecar setting ${SIDECAR_ENV.eventLog}: the event log cannot be opened`, { error });
    return EXIT.badSettings;
  }
  sandboxLog.info("sidecar starting", { agent: settings.agent });

  const onSignal = (signal: NodeJS.Signals) => {
    sandboxLog.info("stopping", { signal });
    void sidecar.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await sidecar.run();
    // The channel can end by itself only when stopped; make sure the turn and the log are closed too.
    await sidecar.stop();
    return EXIT.stopped;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function logLevel(raw: string | undefined): LogLevel {
  return LOG_LEVELS.find((level) => level === raw) ?? "info";
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => {
      log.warn(`still running ${EXIT_GRACE_MS / 1000} s after stopping; exiting`);
      process.exit(code);
    }, EXIT_GRACE_MS).unref();
  },
  (error: unknown) => {
    log.error("sidecar failed", { error });
    process.exit(EXIT.failed);
  },
);
