import { z } from "zod";
import {
  ZDownloadOperatorBundleInput,
  ZHostChanges,
  ZHostId,
  ZHostSummary,
  ZHostView,
  ZOperatorBundle,
  ZPageInput,
  ZRegisterHostInput,
  ZTimestamp,
} from "@/prisma-free-schema";
import { disconnectOperator } from "../channel/disconnect-operator";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { downloadOperatorBundle } from "../services/bundles/download-operator-bundle";
import { deleteHost } from "../services/hosts/delete-host";
import { getHost } from "../services/hosts/get-host";
import { listHosts } from "../services/hosts/list-hosts";
import { registerHost } from "../services/hosts/register-host";
import { setDefaultDockerHost } from "../services/hosts/set-default-docker-host";
import { updateHost } from "../services/hosts/update-host";
import { router } from "../trpc/init";
import { workspaceProcedure } from "../trpc/procedures";

const read = workspaceProcedure("hosts.read");
const manage = workspaceProcedure("hosts.manage");

export const hostsRouter = router({
  list: read
    .input(ZPageInput)
    .output(z.object({ items: z.array(ZHostSummary), cursor: z.string().optional() }))
    .query(({ ctx, input }) => listHosts({ store: ctx.store, workspaceId: ctx.access.workspace.id, limit: input.limit, cursor: input.cursor })),

  get: read
    .input(z.object({ hostId: ZHostId }))
    .output(ZHostView)
    .query(({ ctx, input }) => getHost({ store: ctx.store, access: ctx.access, hostId: input.hostId })),

  register: manage
    .input(ZRegisterHostInput)
    .output(ZHostView)
    .mutation(({ ctx, input }) => registerHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, input })),

  update: manage
    .input(z.object({ hostId: ZHostId, revision: ZTimestamp, changes: ZHostChanges }))
    .output(ZHostView)
    .mutation(({ ctx, input }) => updateHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input })),

  delete: manage
    .input(z.object({ hostId: ZHostId, force: z.boolean().default(false) }))
    .output(z.object({ strandedProfiles: z.array(z.string()) }))
    .mutation(({ ctx, input }) => deleteHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input, disconnectOperator })),

  /** A fresh install key inside a bundle for the host's kind; the previous key stops working. */
  downloadOperatorBundle: manage
    .input(ZDownloadOperatorBundleInput)
    .output(ZOperatorBundle)
    .mutation(({ ctx, input }) => {
      const env = getEnv();
      const platformUrl = env.publicUrl ?? ctx.origin;
      if (!platformUrl) throw new AppError("INTERNAL", "Set PUBLIC_URL: the platform does not know the address operators should dial.");
      return downloadOperatorBundle({ store: ctx.store, actor: ctx.actor, access: ctx.access, hostId: input.hostId, platformUrl, operatorImage: env.operatorImage, disconnectOperator });
    }),

  /** Per person: whose "My default Docker host" this is. Needs only hosts.read, on a host they registered. */
  setMyDefaultDocker: read
    .input(z.object({ hostId: ZHostId.nullable() }))
    .output(z.object({ hostId: ZHostId.nullable() }))
    .mutation(async ({ ctx, input }) => {
      await setDefaultDockerHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, hostId: input.hostId });
      return { hostId: input.hostId };
    }),
});
