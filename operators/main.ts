import { parseArgs } from "node:util";
import { HOST_HEALTH, type THostHealthReply } from "@/prisma-free-schema";
import { readBundleEnv } from "./shared/bundle-env";
import { OperatorChannel } from "./shared/operator-channel";
import { EXIT, programLog, runProgram, stopOnSignals } from "./shared/program";
import { processHealth } from "./shared/process-health";
import { readOperatorSettings } from "./shared/read-operator-settings";
import { operatorVersionFrom } from "./version";

/**
 * The operator as a program: `npm run operator -- [--bundle <compose file | kubernetes manifest>]`.
 * Settings come from the bundle when one is given (the environment fills only what it lacks),
 * else from the environment. It owns signals and exit codes:
 *
 *   0  stopped by SIGINT / SIGTERM
 *   1  an unexpected failure
 *   2  bad arguments or settings (one log line naming the setting, never its value)
 *   3  the platform rejected the install key: download a new bundle
 */
const EXIT_CODES = { ...EXIT, keyRejected: 3 } as const;

const log = programLog();

async function main(): Promise<number> {
  let bundle: string | undefined;
  try {
    ({ bundle } = parseArgs({ options: { bundle: { type: "string" } }, strict: true }).values);
  } catch (error) {
    log.error(`${(error as Error).message}; usage: npm run operator -- [--bundle <compose file or kubernetes manifest>]`);
    return EXIT_CODES.badSettings;
  }

  let env: Record<string, string | undefined> = process.env;
  if (bundle !== undefined) {
    try {
      const fromBundle = await readBundleEnv(bundle);
      env = { ...process.env, ...fromBundle };
      log.info("settings from the bundle", { bundle });
    } catch (error) {
      log.error((error as Error).message);
      return EXIT_CODES.badSettings;
    }
  }

  const read = readOperatorSettings(env);
  if (!read.ok) {
    log.error(`invalid operator setting ${read.problem}`);
    return EXIT_CODES.badSettings;
  }
  const version = operatorVersionFrom(env);
  if (!version.ok) {
    log.error(`invalid operator setting ${version.problem}`);
    return EXIT_CODES.badSettings;
  }
  const { settings } = read;
  const operatorVersion = version.version;

  const hostLog = log.child({ hostId: settings.hostId, hostName: settings.hostName });
  hostLog.info("operator starting", { operatorVersion, workspaceId: settings.workspaceId });
  const channel = new OperatorChannel({
    settings,
    operatorVersion,
    health: processHealth,
    handlers: {
      [HOST_HEALTH]: async (): Promise<THostHealthReply> => ({ operatorVersion, health: processHealth() }),
    },
    log: hostLog,
  });

  const release = stopOnSignals(hostLog, () => channel.stop());
  try {
    return (await channel.run()) === "rejected" ? EXIT_CODES.keyRejected : EXIT_CODES.stopped;
  } finally {
    release();
  }
}

runProgram("operator", log, main);
