import { z } from "zod";
import { ZHostId, ZHostName } from "./host";
import { ZWorkspaceId } from "./ids";

/**
 * The settings an operator reads from its bundle: the contract between the bundle the platform
 * renders and the operators customers run (which never import `server/`). There is
 * deliberately no messaging-channel address: the operator is handed it at key exchange, so no
 * connection secret or fixed endpoint lives on the customer's side.
 */
export const OPERATOR_ENV = {
  installKey: "DISCOPARROT_INSTALL_KEY",
  platformUrl: "DISCOPARROT_PLATFORM_URL",
  hostId: "DISCOPARROT_HOST_ID",
  hostName: "DISCOPARROT_HOST_NAME",
  workspaceId: "DISCOPARROT_WORKSPACE_ID",
} as const;

/** What an operator validates at start, from the names above (the key's value is never printed). */
export const ZOperatorSettings = z.object({
  installKey: z.string().regex(/^opk_[A-Za-z0-9_-]{8,}$/, { message: "must be the opk_… install key from the bundle" }),
  platformUrl: z.url({ message: "must be the platform's URL" }),
  hostId: ZHostId,
  hostName: ZHostName,
  workspaceId: ZWorkspaceId,
});
export type TOperatorSettings = z.infer<typeof ZOperatorSettings>;
