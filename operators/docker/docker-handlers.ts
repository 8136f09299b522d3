import {
  DOCKER_COMMANDS,
  HOST_HEALTH,
  type THostHealthReply,
  ZDockerCreate,
  ZDockerCreateReply,
  ZDockerDestroyReply,
  ZDockerInspectReply,
  ZDockerListReply,
  ZDockerPoolConfigure,
  ZDockerPoolConfigureReply,
  ZDockerRefreshAccess,
  ZDockerRepair,
  ZDockerRepairReply,
  ZDockerSandboxRef,
  ZDockerVolumeRemove,
  ZDockerVolumeRemoveReply,
  ZDockerVolumesListReply,
} from "@/prisma-free-schema";
import type { CommandHandlers } from "../shared/answer-command";
import { parseInput } from "../sidecar/handlers/parse-input";
import { engineHealth } from "./engine-health";
import type { SandboxContainers } from "./sandbox-containers";
import type { EngineContext } from "./start-container";
import type { WarmPool } from "./warm-pool";

/**
 * The Docker operator's commands (DOCKER_COMMANDS) and `host.health`. Each payload is checked
 * against its protocol schema (`invalid_input`), each reply against its own, so the operator
 * cannot drift from the contract; refusals are CommandErrors with their own codes
 * (`image_not_found`, `not_found`, `in_use`, …).
 */
export function dockerHandlers(deps: { engine: EngineContext; sandboxes: SandboxContainers; pool: WarmPool; operatorVersion: string }): CommandHandlers {
  const { engine, sandboxes, pool, operatorVersion } = deps;
  return {
    [HOST_HEALTH]: async (): Promise<THostHealthReply> => ({ operatorVersion, health: await engineHealth(engine) }),

    [DOCKER_COMMANDS.create]: async (payload) => {
      const input = parseInput(ZDockerCreate, payload, DOCKER_COMMANDS.create);
      return ZDockerCreateReply.parse(await sandboxes.create(input));
    },
    [DOCKER_COMMANDS.destroy]: async (payload) => {
      const { sandboxId } = parseInput(ZDockerSandboxRef, payload, DOCKER_COMMANDS.destroy);
      return ZDockerDestroyReply.parse(await sandboxes.destroy(sandboxId));
    },
    [DOCKER_COMMANDS.inspect]: async (payload) => {
      const { sandboxId } = parseInput(ZDockerSandboxRef, payload, DOCKER_COMMANDS.inspect);
      return ZDockerInspectReply.parse(await sandboxes.inspect(sandboxId));
    },
    [DOCKER_COMMANDS.list]: async () => ZDockerListReply.parse({ sandboxIds: await sandboxes.list() }),
    [DOCKER_COMMANDS.refreshAccess]: async (payload) => {
      const { sandboxId, accessUrl } = parseInput(ZDockerRefreshAccess, payload, DOCKER_COMMANDS.refreshAccess);
      await sandboxes.refreshAccess(sandboxId, accessUrl);
      return { refreshed: true };
    },
    [DOCKER_COMMANDS.repair]: async (payload) => {
      const { keep } = parseInput(ZDockerRepair, payload, DOCKER_COMMANDS.repair);
      return ZDockerRepairReply.parse(await sandboxes.repair(keep));
    },
    [DOCKER_COMMANDS.poolConfigure]: async (payload) => {
      const { pools } = parseInput(ZDockerPoolConfigure, payload, DOCKER_COMMANDS.poolConfigure);
      return ZDockerPoolConfigureReply.parse({ pools: await pool.configure(pools) });
    },
    [DOCKER_COMMANDS.volumesList]: async () => ZDockerVolumesListReply.parse({ volumes: await engine.volumes.list() }),
    [DOCKER_COMMANDS.volumesRemove]: async (payload) => {
      const { name } = parseInput(ZDockerVolumeRemove, payload, DOCKER_COMMANDS.volumesRemove);
      return ZDockerVolumeRemoveReply.parse({ removed: await engine.volumes.remove(name) });
    },
  };
}
