import { HOST_HEALTH, type THostHealthReply } from "@/prisma-free-schema";
import { OperatorChannel } from "./shared/operator-channel";
import { OPERATOR_EXIT, readOperatorStart, runOperatorChannel } from "./shared/operator-program";
import { programLog, runProgram } from "./shared/program";
import { processHealth } from "./shared/process-health";

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

const log = programLog();

async function main(): Promise<number> {
  const start = await readOperatorStart(log, "npm run operator -- [--bundle <compose file or kubernetes manifest>]");
  if (!start) return OPERATOR_EXIT.badSettings;
  const { settings, operatorVersion } = start;

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

  return runOperatorChannel(hostLog, channel);
}

runProgram("operator", log, main);
