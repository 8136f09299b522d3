import { z } from "zod";
import { RESOURCE_CLASSES, ZResourceClass } from "./profile";
import { ZSandboxId } from "./run-event";
import { ZAgentKind } from "./sidecar-protocol";

/**
 * The platform ↔ Docker operator contract (commands to hub user `host:<id>`, in the channel
 * envelope). The platform decides what a sandbox is (its id, image, limits, workspace); the
 * operator makes and tends the containers, and touches only containers carrying its labels.
 */
export const DOCKER_COMMANDS = {
  /** Makes a sandbox (claiming a warm container when the pool has one) and starts its sidecar with the given URL. */
  create: "sandbox.create",
  destroy: "sandbox.destroy",
  inspect: "sandbox.inspect",
  list: "sandbox.list",
  /** Hands a running sandbox's sidecar a fresh access URL out of band. */
  refreshAccess: "sandbox.refresh_access",
  /** After a reconnect: which sandboxes are still there, and ends those the platform no longer wants. */
  repair: "sandbox.repair",
  poolConfigure: "pool.configure",
  volumesList: "volumes.list",
  volumesRemove: "volumes.remove",
} as const;

/** Labels on every container and volume the operator creates; it never touches anything without them. */
export const DOCKER_LABELS = {
  managedBy: "io.discoparrot.managed-by",
  hostId: "io.discoparrot.host-id",
  sandboxId: "io.discoparrot.sandbox-id",
  definitionKey: "io.discoparrot.definition-key",
  workspaceVolume: "io.discoparrot.workspace-volume",
} as const;

/** A resource class as the limits a container gets (Docker's NanoCpus and Memory). */
export function containerLimitsOf(resourceClass: z.infer<typeof ZResourceClass>): { nanoCpus: number; memoryBytes: number } {
  const { cpu, memoryMiB } = RESOURCE_CLASSES[resourceClass];
  return { nanoCpus: Math.round(cpu * 1e9), memoryBytes: memoryMiB * 1024 * 1024 };
}

/** What a sandbox is made from, as the operator needs it; equal definitions share a warm pool. */
export const ZDockerSandboxSpec = z.object({
  /** A digest of the sandbox definition: warm containers are made and claimed per key. */
  definitionKey: z.string().regex(/^[0-9a-f]{16,64}$/),
  image: z.string().min(1).max(256),
  tag: z.string().min(1).max(128),
  resourceClass: ZResourceClass,
  agent: ZAgentKind,
  /**
   * A named volume per person and profile that outlives the sandbox, or null for a scratch
   * workspace removed with the container.
   */
  workspaceVolume: z.string().regex(/^dp-ws-[a-z0-9-]{1,100}$/).nullable(),
});
export type TDockerSandboxSpec = z.infer<typeof ZDockerSandboxSpec>;

export const ZDockerCreate = z.object({ sandboxId: ZSandboxId, spec: ZDockerSandboxSpec, accessUrl: z.url() });
export const ZDockerCreateReply = z.object({ containerId: z.string(), fromWarmPool: z.boolean() });

export const ZDockerSandboxRef = z.object({ sandboxId: ZSandboxId });
export const ZDockerDestroyReply = z.object({ removed: z.boolean(), volumeRemoved: z.boolean() });

export const DOCKER_SANDBOX_STATES = ["running", "stopped", "missing"] as const;
export const ZDockerInspectReply = z.object({
  state: z.enum(DOCKER_SANDBOX_STATES),
  /** Why it is not running, for the person: "image … not found", "exited with 1: <last log lines>". */
  problem: z.string().max(4000).nullable(),
});

export const ZDockerListReply = z.object({ sandboxIds: z.array(ZSandboxId) });

export const ZDockerRefreshAccess = z.object({ sandboxId: ZSandboxId, accessUrl: z.url() });
export const ZDockerRefreshAccessReply = z.object({ refreshed: z.literal(true) });

/** The sandboxes the platform still wants; the operator removes its others and says which it has. */
export const ZDockerRepair = z.object({ keep: z.array(ZSandboxId) });
export const ZDockerRepairReply = z.object({ present: z.array(ZSandboxId), removed: z.array(ZSandboxId) });

/** Warm containers to keep ready, per definition; a definition missing from the list is drained. */
export const ZDockerPoolConfigure = z.object({ pools: z.array(z.object({ spec: ZDockerSandboxSpec, size: z.number().int().min(0).max(20) })).max(50) });
export const ZDockerPoolConfigureReply = z.object({ pools: z.array(z.object({ definitionKey: z.string(), ready: z.number().int().nonnegative(), size: z.number().int().nonnegative() })) });

export const ZDockerVolume = z.object({ name: z.string(), createdAt: z.string().nullable(), inUse: z.boolean() });
export type TDockerVolume = z.infer<typeof ZDockerVolume>;
export const ZDockerVolumesListReply = z.object({ volumes: z.array(ZDockerVolume) });
export const ZDockerVolumeRemove = z.object({ name: z.string().regex(/^dp-ws-[a-z0-9-]{1,100}$/) });
export const ZDockerVolumeRemoveReply = z.object({ removed: z.boolean() });

/** Host settings for a Local Docker host (network, warm pools): part of the host document, defined there. */
export { ZDockerHostSettings } from "./host";

/** Settings only the Docker operator reads from its bundle, beside OPERATOR_ENV's. */
export const DOCKER_OPERATOR_ENV = {
  /** The Docker network sandbox containers join (the host's docker.network setting). */
  sandboxNetwork: "DISCOPARROT_SANDBOX_NETWORK",
} as const;
