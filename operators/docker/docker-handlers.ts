import {
  HOST_HEALTH,
  OPERATOR_COMMANDS,
  type THostHealthReply,
  ZDockerPoolConfigure,
  ZDockerPoolConfigureReply,
  ZDockerPoolStatusReply,
  ZDockerVolumeRemove,
  ZDockerVolumeRemoveReply,
  ZDockerVolumesListReply,
} from "@/prisma-free-schema";
import type { CommandHandlers } from "../shared/answer-command";
import { sandboxLifecycleHandlers } from "../shared/sandbox-lifecycle-handlers";
import { parseInput } from "../sidecar/handlers/parse-input";
import { engineHealth } from "./engine-health";
import type { SandboxContainers } from "./sandbox-containers";
import type { EngineContext } from "./start-container";
import type { WarmPool } from "./warm-pool";

/**
 * The Docker operator's commands (OPERATOR_COMMANDS) and `host.health`. Each payload is checked
 * against its protocol schema (`invalid_input`), each reply against its own, so the operator
 * cannot drift from the contract; refusals are CommandErrors with their own codes
 * (`image_not_found`, `not_found`, `in_use`, …).
 */
export function dockerHandlers(deps: { engine: EngineContext; sandboxes: SandboxContainers; pool: WarmPool; operatorVersion: string }): CommandHandlers {
  const { engine, sandboxes, pool, operatorVersion } = deps;
  return {
    [HOST_HEALTH]: async (): Promise<THostHealthReply> => ({ operatorVersion, health: await engineHealth(engine) }),

    ...sandboxLifecycleHandlers(sandboxes),
    [OPERATOR_COMMANDS.poolConfigure]: async (payload) => {
      const { pools } = parseInput(ZDockerPoolConfigure, payload, OPERATOR_COMMANDS.poolConfigure);
      return ZDockerPoolConfigureReply.parse({ pools: await pool.configure(pools) });
    },
    [OPERATOR_COMMANDS.poolStatus]: async () => ZDockerPoolStatusReply.parse({ pools: pool.readiness() }),
    [OPERATOR_COMMANDS.volumesList]: async () => ZDockerVolumesListReply.parse({ volumes: await engine.volumes.list() }),
    [OPERATOR_COMMANDS.volumesRemove]: async (payload) => {
      const { name } = parseInput(ZDockerVolumeRemove, payload, OPERATOR_COMMANDS.volumesRemove);
      return ZDockerVolumeRemoveReply.parse({ removed: await engine.volumes.remove(name) });
    },
  };
}
