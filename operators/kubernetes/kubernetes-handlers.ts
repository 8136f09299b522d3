import {
  HOST_HEALTH,
  OPERATOR_COMMANDS,
  type THealthFacts,
  type THostHealthReply,
  ZSandboxCreate,
  ZSandboxCreateReply,
  ZSandboxDestroyReply,
  ZSandboxInspectReply,
  ZSandboxListReply,
  ZSandboxRef,
  ZSandboxRefreshAccess,
  ZSandboxSync,
  ZSandboxSyncReply,
} from "@/prisma-free-schema";
import type { CommandHandlers } from "../shared/answer-command";
import { CommandError } from "../shared/command-error";
import { parseInput } from "../sidecar/handlers/parse-input";
import type { SandboxPods } from "./sandbox-pods";

/**
 * The Kubernetes operator's answers to the one operator protocol (OPERATOR_COMMANDS) and
 * `host.health`. Payloads are checked against the protocol's schemas (`invalid_input`), replies
 * against theirs. A Kubernetes host keeps no warm pool and no persistent workspace: those commands
 * are refused by name. A host that is not ready refuses `create` with the reason its health gives.
 */
export function kubernetesHandlers(deps: { sandboxes: SandboxPods; health: () => Promise<THealthFacts>; readiness: () => string | null; operatorVersion: string }): CommandHandlers {
  const { sandboxes, health, readiness, operatorVersion } = deps;
  const dockerOnly = (type: string) => async () => {
    throw new CommandError("not_supported", `${type} is for Docker hosts; a Kubernetes host keeps no warm pool and no workspace volumes`);
  };
  return {
    [HOST_HEALTH]: async (): Promise<THostHealthReply> => ({ operatorVersion, health: await health() }),
    [OPERATOR_COMMANDS.create]: async (payload) => {
      const input = parseInput(ZSandboxCreate, payload, OPERATOR_COMMANDS.create);
      const notReady = readiness();
      if (notReady) throw new CommandError("host_not_ready", notReady);
      return ZSandboxCreateReply.parse(await sandboxes.create(input));
    },
    [OPERATOR_COMMANDS.destroy]: async (payload) => {
      const { sandboxId } = parseInput(ZSandboxRef, payload, OPERATOR_COMMANDS.destroy);
      return ZSandboxDestroyReply.parse(await sandboxes.destroy(sandboxId));
    },
    [OPERATOR_COMMANDS.inspect]: async (payload) => {
      const { sandboxId } = parseInput(ZSandboxRef, payload, OPERATOR_COMMANDS.inspect);
      return ZSandboxInspectReply.parse(await sandboxes.inspect(sandboxId));
    },
    [OPERATOR_COMMANDS.list]: async () => ZSandboxListReply.parse({ sandboxIds: await sandboxes.list() }),
    [OPERATOR_COMMANDS.refreshAccess]: async (payload) => {
      const { sandboxId, accessUrl } = parseInput(ZSandboxRefreshAccess, payload, OPERATOR_COMMANDS.refreshAccess);
      await sandboxes.refreshAccess(sandboxId, accessUrl);
      return { refreshed: true };
    },
    [OPERATOR_COMMANDS.sync]: async (payload) => {
      const { keep, graceSeconds } = parseInput(ZSandboxSync, payload, OPERATOR_COMMANDS.sync);
      return ZSandboxSyncReply.parse(await sandboxes.sync(keep, graceSeconds));
    },
    [OPERATOR_COMMANDS.poolConfigure]: dockerOnly(OPERATOR_COMMANDS.poolConfigure),
    [OPERATOR_COMMANDS.volumesList]: dockerOnly(OPERATOR_COMMANDS.volumesList),
    [OPERATOR_COMMANDS.volumesRemove]: dockerOnly(OPERATOR_COMMANDS.volumesRemove),
  };
}
