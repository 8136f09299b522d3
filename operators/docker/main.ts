import { OperatorChannel } from "../shared/operator-channel";
import { OPERATOR_EXIT, readOperatorStart, runOperatorChannel } from "../shared/operator-program";
import { programLog, runProgram } from "../shared/program";
import { dockerHandlers } from "./docker-handlers";
import { DEFAULT_DOCKER_SOCKET, dockerEngineFrom, engineVersion } from "./docker-engine";
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
const ENGINE_CHECK_MS = 5_000;
const BUILT_IN_NETWORKS = new Set(["bridge", "host", "none"]);

const log = programLog();

async function main(): Promise<number> {
  const start = await readOperatorStart(log, "npm run operator:docker -- [--bundle <compose file>]");
  if (!start) return OPERATOR_EXIT.badSettings;
  const { env, settings, operatorVersion } = start;
  const network = readSandboxNetwork(env);
  if (!network.ok) {
    log.error(`invalid operator setting ${network.problem}`);
    return OPERATOR_EXIT.badSettings;
  }
  const hostLog = log.child({ hostId: settings.hostId, hostName: settings.hostName });

  let engine: EngineContext;
  try {
    const docker = dockerEngineFrom(env);
    engine = { docker, hostId: settings.hostId, network: network.network, volumes: new WorkspaceVolumes(docker, settings.hostId) };
  } catch (error) {
    hostLog.error(`invalid operator setting ${(error as Error).message}`);
    return OPERATOR_EXIT.badSettings;
  }
  const where = env.DOCKER_HOST?.trim() || `unix://${DEFAULT_DOCKER_SOCKET}`;
  let engineVersionText: string;
  try {
    engineVersionText = await engineVersion(engine.docker, ENGINE_CHECK_MS);
  } catch (error) {
    hostLog.error(`cannot reach the container engine at DOCKER_HOST=${where}: ${(error as Error).message}`);
    return OPERATOR_EXIT.badSettings;
  }
  if (!BUILT_IN_NETWORKS.has(network.network)) {
    try {
      await engine.docker.getNetwork(network.network).inspect();
    } catch (error) {
      hostLog.error(isNotFound(error) ? `invalid operator setting ${SANDBOX_NETWORK_ENV}: network ${network.network} does not exist on the engine` : `cannot inspect network ${network.network}: ${(error as Error).message}`);
      return OPERATOR_EXIT.badSettings;
    }
  }

  hostLog.info("docker operator starting", { operatorVersion: operatorVersion, engine: engineVersionText, dockerHost: where, network: network.network });
  // A pool's count changing is told at the next check-in, brought forward (the host page shows it).
  const pool = new WarmPool(engine, hostLog, () => channel.checkInSoon());
  const sandboxes = new SandboxContainers(engine, pool);
  const channel = new OperatorChannel({
    settings,
    operatorVersion: operatorVersion,
    health: () => engineHealth(engine),
    warmPools: () => pool.readiness(),
    handlers: dockerHandlers({ engine, sandboxes, pool, operatorVersion: operatorVersion }),
    log: hostLog,
  });

  try {
    return await runOperatorChannel(hostLog, channel);
  } finally {
    await pool.stop();
  }
}

runProgram("docker operator", log, main);
