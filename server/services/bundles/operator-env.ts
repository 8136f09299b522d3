import type { BundleSettings } from "./bundle-settings";

/**
 * The environment both operators read. Operators never import `server/`, so when they arrive
 * these names move to `prisma-free-schema/` as the shared contract.
 */
export const INSTALL_KEY_ENV = "DISCOPARROT_INSTALL_KEY";

/**
 * The non-secret settings, the same on Kubernetes and Docker. There is deliberately no messaging
 * channel (Web PubSub) address: the operator is handed it at key exchange, so no connection
 * secret or fixed endpoint lives on the customer's side.
 */
export function operatorSettingsEnv({ host, platformUrl }: BundleSettings): Record<string, string> {
  return {
    DISCOPARROT_PLATFORM_URL: platformUrl,
    DISCOPARROT_HOST_ID: host.id,
    DISCOPARROT_HOST_NAME: host.name,
    DISCOPARROT_WORKSPACE_ID: host.workspaceId,
  };
}
