import { parseArgs } from "node:util";
import { readBundleEnv } from "../shared/bundle-env";
import { OperatorChannel } from "../shared/operator-channel";
import { EXIT, programLog, runProgram, stopOnSignals } from "../shared/program";
import { readOperatorSettings } from "../shared/read-operator-settings";
import { operatorVersionFrom } from "../version";
import { dockerHandlers } from "./docker-handlers";
import { dockerEngineFrom, engineVersion } from "./docker-engine";
import { readSandboxNetwork, SANDBOX_NETWORK_ENV } from "./docker-settings";
import { engineHealth } from "./engine-health";
import { isNotFound } from "./engine-errors";
import { SandboxContainers } from "./sandbox-containers";
import type { EngineContext } from "./start-container";
import { WarmPool } from "./warm-pool";
import { WorkspaceVolumes } from "./workspace-volumes";

/**
 * The Docker operator as a program: `node --import tsx operators/docker/main.ts [--bundle <file>]`.
 * Settings as `operators/main.ts` reads them, plus the engine (DOCKER_HOST, default
 * /var/run/docker.sock) and the sandbox network (DISCOPARROT_SANDBOX_NETWORK, default bridge).
 * The engine must answer at start: an operator that cannot make containers should say so at
 * once rather than check in as healthy. Exit codes:
 *
 *   0  stopped by SIGINT / SIGTERM
 *   1  an unexpected failure
 *   2  bad arguments or settings, an unreachable engine, or a sandbox network that does not exist
 *   3  the platform rejected the install key: download a new bundle
 */
const EXIT_CODES = { ...EXIT, keyRejected: 3 } as const;
const ENGINE_CHECK_MS = 5_000;
const BUILT_IN_NETWORKS = new Set(["bridge", "host", "none"]);

const log = programLog();

async function main(): Promise<number> {
  let bundle: string | undefined;
  try {
    ({ bundle } = parseArgs({ options: { bundle: { type: "string" } }, strict: true }).values);
  } catch (error) {
    log.error(`${(error as Error).message}; usage: operators/docker/main.ts [--bundle <compose file>]`);
    return EXIT_CODES.badSettings;
  }
  let env: Record<string, string | undefined> = process.env;
  if (bundle !== undefined) {
    try {
      env = { ...process.env, ...(await readBundleEnv(bundle)) };
      log.info("settings from the bundle", { bundle });
    } catch (error) {
      log.error((error as Error).message);
      return EXIT_CODES.badSettings;
    }
  }

  const read = readOperatorSettings(env);
  const version = operatorVersionFrom(env);
  const network = readSandboxNetwork(env);
  for (const problem of [!read.ok && read.problem, !version.ok && version.problem, !network.ok && network.problem]) {
    if (problem) {
      log.error(`invalid operator setting ${problem}`);
      return EXIT_CODES.badSettings;
    }
  }
  if (!read.ok || !version.ok || !network.ok) return EXIT_CODES.badSettings;
  const { settings } = read;
  const hostLog = log.child({ hostId: settings.hostId, hostName: settings.hostName });

  let engine: EngineContext;
  try {
    const docker = dockerEngineFrom(env);
    engine = { docker, hostId: settings.hostId, network: network.network, volumes: new WorkspaceVolumes(docker, settings.hostId) };
  } catch (error) {
    hostLog.error(`invalid operator setting ${(error as Error).message}`);
    return EXIT_CODES.badSettings;
  }
  const where = env.DOCKER_HOST?.trim() || "unix:///var/run/docker.sock";
  let engineVersionText: string;
  try {
    engineVersionText = await engineVersion(engine.docker, ENGINE_CHECK_MS);
  } catch (error) {
    hostLog.error(`cannot reach the container engine at DOCKER_HOST=${where}: ${(error as Error).message}`);
    return EXIT_CODES.badSettings;
  }
  if (!BUILT_IN_NETWORKS.has(network.network)) {
    try {
      await engine.docker.getNetwork(network.network).inspect();
    } catch (error) {
      hostLog.error(isNotFound(error) ? `invalid operator setting ${SANDBOX_NETWORK_ENV}: network ${network.network} does not exist on the engine` : `cannot inspect network ${network.network}: ${(error as Error).message}`);
      return EXIT_CODES.badSettings;
    }
  }

  hostLog.info("docker operator starting", { operatorVersion: version.version, engine: engineVersionText, dockerHost: where, network: network.network });
  const pool = new WarmPool(engine, hostLog);
  const sandboxes = new SandboxContainers(engine, pool);
  const channel = new OperatorChannel({
    settings,
    operatorVersion: version.version,
    health: () => engineHealth(engine),
    handlers: dockerHandlers({ engine, sandboxes, pool, operatorVersion: version.version }),
    log: hostLog,
  });

  const release = stopOnSignals(hostLog, () => channel.stop());
  try {
    return (await channel.run()) === "rejected" ? EXIT_CODES.keyRejected : EXIT_CODES.stopped;
  } finally {
    release();
    await pool.stop();
  }
}

runProgram("docker operator", log, main);
