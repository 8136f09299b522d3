import { parseArgs } from "node:util";
import { HOST_HEALTH, type THostHealthReply } from "@/prisma-free-schema";
import { readBundleEnv } from "./shared/bundle-env";
import { OperatorChannel } from "./shared/operator-channel";
import { createOperatorLog, LOG_LEVELS, type LogLevel } from "./shared/operator-log";
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
const EXIT = { stopped: 0, failed: 1, badSettings: 2, keyRejected: 3 } as const;
/** After stopping, the process should end by itself; if something still holds it, it is ended. */
const EXIT_GRACE_MS = 5_000;

const log = createOperatorLog({ level: logLevel(process.env.DISCOPARROT_LOG_LEVEL) });

async function main(): Promise<number> {
  let bundle: string | undefined;
  try {
    ({ bundle } = parseArgs({ options: { bundle: { type: "string" } }, strict: true }).values);
  } catch (error) {
    log.error(`${(error as Error).message}; usage: npm run operator -- [--bundle <compose file or kubernetes manifest>]`);
    return EXIT.badSettings;
  }

  let env: Record<string, string | undefined> = process.env;
  if (bundle !== undefined) {
    try {
      const fromBundle = await readBundleEnv(bundle);
      env = { ...process.env, ...fromBundle };
      log.info("settings from the bundle", { bundle });
    } catch (error) {
      log.error((error as Error).message);
      return EXIT.badSettings;
    }
  }

  const read = readOperatorSettings(env);
  if (!read.ok) {
    log.error(`invalid operator setting ${read.problem}`);
    return EXIT.badSettings;
  }
  const version = operatorVersionFrom(env);
  if (!version.ok) {
    log.error(`invalid operator setting ${version.problem}`);
    return EXIT.badSettings;
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

  const onSignal = (signal: NodeJS.Signals) => {
    hostLog.info("stopping", { signal });
    void channel.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return (await channel.run()) === "rejected" ? EXIT.keyRejected : EXIT.stopped;
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
    log.error("operator failed", { error });
    process.exit(EXIT.failed);
  },
);
