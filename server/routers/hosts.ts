import { z } from "zod";
import {
  bundleAddressOf,
  ZBundleAddress,
  ZDockerHostSettings,
  ZDockerVolume,
  ZDockerVolumeRemove,
  ZDownloadOperatorBundleInput,
  ZHostChanges,
  ZHostId,
  ZHostSummary,
  ZHostUsage,
  ZHostView,
  ZOperatorBundle,
  ZPageInput,
  ZRegisterHostInput,
  ZTimestamp,
  ZWorkloadIdentityCredentials,
} from "@/prisma-free-schema";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { downloadOperatorBundle } from "../services/bundles/download-operator-bundle";
import { deleteHost } from "../services/hosts/delete-host";
import { disconnectOperator } from "../services/hosts/disconnect-operator";
import { listDockerVolumes, removeDockerVolume } from "../services/hosts/docker-volumes";
import { getHost } from "../services/hosts/get-host";
import { hostUsage } from "../services/hosts/host-usage";
import { processChannel } from "../services/process-channel";
import { listHosts } from "../services/hosts/list-hosts";
import { registerHost } from "../services/hosts/register-host";
import { setDefaultDockerHost } from "../services/hosts/set-default-docker-host";
import { updateDockerSettings } from "../services/hosts/update-docker-settings";
import { updateHost } from "../services/hosts/update-host";
import { workloadIdentityCredentials } from "../services/hosts/workload-identity-credentials";
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

  /** The profiles that use the host, and the warm pools they keep there with the ready counts of the operator's last check-in. */
  usage: read
    .input(z.object({ hostId: ZHostId }))
    .output(ZHostUsage)
    .query(({ ctx, input }) => hostUsage({ store: ctx.store, access: ctx.access, hostId: input.hostId })),

  /** Where bundles downloaded now tell operators to dial, and whether that is an address they can reach. */
  bundleAddress: read
    .output(ZBundleAddress)
    .query(({ ctx }) => bundleAddressOf(getEnv().publicUrl, ctx.origin)),

  /** A Kubernetes host's federated credentials to create in Azure, one per managed identity its profiles name. */
  workloadIdentities: read
    .input(z.object({ hostId: ZHostId }))
    .output(ZWorkloadIdentityCredentials)
    .query(({ ctx, input }) => workloadIdentityCredentials({ store: ctx.store, access: ctx.access, hostId: input.hostId })),

  register: manage
    .input(ZRegisterHostInput)
    .output(ZHostView)
    .mutation(({ ctx, input }) => registerHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, input })),

  update: manage
    .input(z.object({ hostId: ZHostId, revision: ZTimestamp, changes: ZHostChanges }))
    .output(ZHostView)
    .mutation(({ ctx, input }) => updateHost({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input })),

  /** Local Docker only: the sandbox network and warm pools; the pools go to the operator at once when it is connected. */
  updateDockerSettings: manage
    .input(z.object({ hostId: ZHostId, revision: ZTimestamp, settings: ZDockerHostSettings }))
    .output(ZHostView)
    .mutation(async ({ ctx, input }) => {
      const channel = await processChannel().catch(() => undefined);
      return updateDockerSettings({ store: ctx.store, actor: ctx.actor, access: ctx.access, ...input, channel });
    }),

  /** Local Docker only: the persistent workspace volumes its operator keeps; `connected: false` while the operator is away. */
  dockerVolumes: read
    .input(z.object({ hostId: ZHostId }))
    .output(z.object({ connected: z.boolean(), volumes: z.array(ZDockerVolume) }))
    .query(async ({ ctx, input }) => listDockerVolumes({ store: ctx.store, access: ctx.access, channel: await processChannel(), hostId: input.hostId })),

  removeDockerVolume: manage
    .input(z.object({ hostId: ZHostId }).extend(ZDockerVolumeRemove.shape))
    .output(z.object({ removed: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      removeDockerVolume({ store: ctx.store, access: ctx.access, actor: ctx.actor, channel: await processChannel(), hostId: input.hostId, name: input.name }),
    ),

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
      // No PUBLIC_URL and a Host header that is no usable address: the request cannot say where operators should dial.
      if (!platformUrl) throw new AppError("BAD_REQUEST", "The request's Host header is not a usable address, and PUBLIC_URL is not set: set PUBLIC_URL so bundles know where operators dial.");
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
