import { DOCKER_OPERATOR_ENV, dockerSettingsOf, OPERATOR_ENV } from "@/prisma-free-schema";
import type { BundleSettings } from "./bundle-settings";

export const INSTALL_KEY_ENV = OPERATOR_ENV.installKey;

/** The non-secret settings, the same on Kubernetes and Docker (names: prisma-free-schema/operator-settings). */
export function operatorSettingsEnv({ host, platformUrl }: BundleSettings): Record<string, string> {
  return {
    [OPERATOR_ENV.platformUrl]: platformUrl,
    [OPERATOR_ENV.hostId]: host.id,
    [OPERATOR_ENV.hostName]: host.name,
    [OPERATOR_ENV.workspaceId]: host.workspaceId,
  };
}

/** What only the Docker operator reads: the network its sandbox containers join (the host's setting). */
export function dockerOperatorEnv({ host }: BundleSettings): Record<string, string> {
  return { [DOCKER_OPERATOR_ENV.sandboxNetwork]: dockerSettingsOf(host).network };
}
