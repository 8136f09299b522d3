import { HOST_HEALTH, OPERATOR_COMMANDS, type THealthFacts, type THostHealthReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../shared/answer-command";
import { CommandError } from "../shared/command-error";
import { sandboxLifecycleHandlers } from "../shared/sandbox-lifecycle-handlers";
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
    ...sandboxLifecycleHandlers(sandboxes, {
      beforeCreate: () => {
        const notReady = readiness();
        if (notReady) throw new CommandError("host_not_ready", notReady);
      },
    }),
    [OPERATOR_COMMANDS.poolConfigure]: dockerOnly(OPERATOR_COMMANDS.poolConfigure),
    [OPERATOR_COMMANDS.volumesList]: dockerOnly(OPERATOR_COMMANDS.volumesList),
    [OPERATOR_COMMANDS.volumesRemove]: dockerOnly(OPERATOR_COMMANDS.volumesRemove),
  };
}
