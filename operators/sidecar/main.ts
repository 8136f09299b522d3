import { SIDECAR_ENV } from "@/prisma-free-schema";
import { EXIT, programLog, runProgram, stopOnSignals } from "../shared/program";
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

const log = programLog();

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

  const release = stopOnSignals(sandboxLog, () => sidecar.stop());
  try {
    await sidecar.run();
    // The channel can end by itself only when stopped; make sure the turn and the log are closed too.
    await sidecar.stop();
    return EXIT.stopped;
  } finally {
    release();
  }
}

runProgram("sidecar", log, main);
