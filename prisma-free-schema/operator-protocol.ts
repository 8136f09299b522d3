import { z } from "zod";
import { RESOURCE_CLASSES, ZResourceClass, ZWorkloadIdentity } from "./profile";
import { ZSandboxId } from "./run-event";
import { ZAgentKind } from "./sidecar-protocol";

/**
 * The platform ↔ operator contract, one for every host kind (commands to hub user `host:<id>`,
 * in the channel envelope). The platform decides what a sandbox is (its id, image, limits and
 * what the host's kind adds); the operator makes and tends the workload (a container, a pod) and
 * touches only workloads carrying its labels. The lifecycle commands and the sandbox spec are the
 * same for Docker and Kubernetes hosts; where the kinds differ, the spec has a part per kind and a
 * few commands are one kind's (a Docker host's warm pools and workspace volumes).
 */
export const OPERATOR_COMMANDS = {
  /** Makes a sandbox (a Docker host claims a warm container when its pool has one) and starts its sidecar with the given URL; answers once it runs, or why it cannot. */
  create: "sandbox.create",
  destroy: "sandbox.destroy",
  inspect: "sandbox.inspect",
  list: "sandbox.list",
  /** Hands a running sandbox's sidecar a fresh access URL out of band. */
  refreshAccess: "sandbox.refresh_access",
  /** After a reconnect and periodically: which sandboxes are still there; the operator removes those the platform no longer wants. */
  sync: "sandbox.sync",
  /** Docker hosts only. */
  poolConfigure: "pool.configure",
  /**
   * How many warm containers each pool has ready now, changing nothing: for tools and tests. The
   * host page does not ask: it reads the counts each check-in carries (ZCheckIn.warmPools).
   */
  poolStatus: "pool.status",
  volumesList: "volumes.list",
  volumesRemove: "volumes.remove",
} as const;

/** Labels on every container and volume the Docker operator creates; it never touches anything without them. */
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

/** A named volume per person and profile that outlives the sandbox (Docker hosts). */
export const ZWorkspaceVolumeName = z.string().regex(/^dp-ws-[a-z0-9-]{1,100}$/);

/** What a sandbox is made from, as an operator needs it; on a Docker host, equal definitions share a warm pool. */
export const ZSandboxSpec = z.object({
  /** A digest of the sandbox definition: warm containers are made and claimed per key. */
  definitionKey: z.string().regex(/^[0-9a-f]{16,64}$/),
  image: z.string().min(1).max(256),
  tag: z.string().min(1).max(128),
  resourceClass: ZResourceClass,
  agent: ZAgentKind,
  /** What only a Docker host reads: the persistent workspace volume, or null for a scratch workspace removed with the container. */
  docker: z.object({ workspaceVolume: ZWorkspaceVolumeName.nullable() }).optional(),
  /** What only a Kubernetes host reads: the Azure managed identity the pod acts as (Azure Workload Identity), or null for none. */
  kubernetes: z.object({ workloadIdentity: ZWorkloadIdentity.nullable() }).optional(),
});
export type TSandboxSpec = z.infer<typeof ZSandboxSpec>;

/** The Docker host's persistent workspace volume for a spec, or null for a scratch workspace. */
export function workspaceVolumeOfSpec(spec: TSandboxSpec): string | null {
  return spec.docker?.workspaceVolume ?? null;
}

export const ZSandboxCreate = z.object({ sandboxId: ZSandboxId, spec: ZSandboxSpec, accessUrl: z.url() });
/** `workloadId`: the container's id, or the pod's name. */
export const ZSandboxCreateReply = z.object({ workloadId: z.string(), fromWarmPool: z.boolean() });

/**
 * Why an operator could not make a sandbox: the error code of a failed `sandbox.create` reply,
 * whose message is then a whole sentence for the person ("The image … is not on the host …
 * Pull or load it on the host …"), shown as the run's failure as it is. Other codes are wrapped by the
 * platform ("The host's operator could not start the sandbox: …").
 */
export const SANDBOX_CREATE_FAILURES = {
  imageNotFound: "image_not_found",
  engineRefused: "engine_refused",
} as const;
export const ZSandboxCreateFailure = z.enum([SANDBOX_CREATE_FAILURES.imageNotFound, SANDBOX_CREATE_FAILURES.engineRefused]);

export const ZSandboxRef = z.object({ sandboxId: ZSandboxId });
export const ZSandboxDestroyReply = z.object({ removed: z.boolean(), volumeRemoved: z.boolean() });

export const SANDBOX_WORKLOAD_STATES = ["running", "stopped", "missing"] as const;
export const ZSandboxInspectReply = z.object({
  state: z.enum(SANDBOX_WORKLOAD_STATES),
  /** Why it is not running, for the person: "image … not found", "exited with 1: <last log lines>". */
  problem: z.string().max(4000).nullable(),
});

export const ZSandboxListReply = z.object({ sandboxIds: z.array(ZSandboxId) });

export const ZSandboxRefreshAccess = z.object({ sandboxId: ZSandboxId, accessUrl: z.url() });
export const ZSandboxRefreshAccessReply = z.object({ refreshed: z.literal(true) });

/**
 * The sandboxes the platform still wants; the operator removes its others made more than
 * `graceSeconds` ago (by its own clock) and says which it has. The grace is what keeps a sync
 * from racing a launch without a lock: a sandbox saved just after the platform read the list it
 * sends is young, so it stays, and the next sync sees it.
 */
export const SYNC_GRACE_SECONDS = 60;
export const ZSandboxSync = z.object({ keep: z.array(ZSandboxId), graceSeconds: z.number().int().min(0).max(3600).default(SYNC_GRACE_SECONDS) });
export const ZSandboxSyncReply = z.object({ present: z.array(ZSandboxId), removed: z.array(ZSandboxId) });

/** Warm containers to keep ready, per definition; a definition missing from the list is drained. */
export const ZDockerPoolConfigure = z.object({ pools: z.array(z.object({ spec: ZSandboxSpec, size: z.number().int().min(0).max(20) })).max(50) });
export const ZDockerPoolConfigureReply = z.object({ pools: z.array(z.object({ definitionKey: z.string(), ready: z.number().int().nonnegative(), size: z.number().int().nonnegative() })) });
/** pool.status answers as pool.configure does, for the pools the operator keeps now. */
export const ZDockerPoolStatusReply = ZDockerPoolConfigureReply;

export const ZDockerVolume = z.object({ name: z.string(), createdAt: z.string().nullable(), inUse: z.boolean() });
export type TDockerVolume = z.infer<typeof ZDockerVolume>;
export const ZDockerVolumesListReply = z.object({ volumes: z.array(ZDockerVolume) });
export const ZDockerVolumeRemove = z.object({ name: ZWorkspaceVolumeName });
export const ZDockerVolumeRemoveReply = z.object({ removed: z.boolean() });

/** Host settings for a Local Docker host (network, warm pools): part of the host document, defined there. */
export { ZDockerHostSettings } from "./host";

/** Settings only the Docker operator reads from its bundle, beside OPERATOR_ENV's. */
export const DOCKER_OPERATOR_ENV = {
  /** The Docker network sandbox containers join (the host's docker.network setting). */
  sandboxNetwork: "DISCOPARROT_SANDBOX_NETWORK",
} as const;

/**
 * Settings only the Kubernetes operator reads (its manifest's ConfigMap sets the first two),
 * beside OPERATOR_ENV's. Workload identity is not among them: the platform sends a profile's
 * identity with each launch only while the host has it turned on.
 */
export const KUBERNETES_OPERATOR_ENV = {
  namespace: "DISCOPARROT_NAMESPACE",
  sandboxServiceAccount: "DISCOPARROT_SANDBOX_SERVICE_ACCOUNT",
  /** How long an image may fail to pull before a launch is given up (seconds, default 30). */
  imagePullGraceSeconds: "DISCOPARROT_IMAGE_PULL_GRACE_SECONDS",
  /** How long a pod may wait for a node before a launch is given up (seconds, default 60). */
  unschedulableGraceSeconds: "DISCOPARROT_UNSCHEDULABLE_GRACE_SECONDS",
  /** The longest a launch waits for its pod to run (seconds, default 90). */
  podStartTimeoutSeconds: "DISCOPARROT_POD_START_TIMEOUT_SECONDS",
  /** Where the pod's service-account files are, when not at the root (an operator run outside a pod, the tests). */
  serviceAccountRoot: "DISCOPARROT_SERVICE_ACCOUNT_ROOT",
} as const;

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a Kubernetes name (lower-case letters, digits and hyphens)" });
const seconds = (fallback: number, max: number) => z.coerce.number({ message: "must be a number of seconds" }).int({ message: "must be a whole number of seconds" }).min(1, { message: "must be at least 1" }).max(max, { message: `must be at most ${max}` }).default(fallback);

/** The Kubernetes operator's own settings, validated at start (exit 2 naming the setting). */
export const ZKubernetesOperatorSettings = z.object({
  namespace: dnsLabel,
  sandboxServiceAccount: dnsLabel.default("discoparrot-sandbox"),
  // Within the platform's wait for a Kubernetes create (120 s), so a person always gets the operator's reason, never a timeout.
  imagePullGraceSeconds: seconds(30, 100),
  unschedulableGraceSeconds: seconds(60, 100),
  podStartTimeoutSeconds: seconds(90, 110),
  serviceAccountRoot: z.string().max(1000).optional(),
});
export type TKubernetesOperatorSettings = z.infer<typeof ZKubernetesOperatorSettings>;

/**
 * Azure Workload Identity on a Kubernetes host: the service account a managed identity's pods run
 * under, one per identity, named for its client id (what the federated credential's subject names:
 * `system:serviceaccount:<namespace>:<account>`), and the audience the credential must have.
 */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
export function workloadIdentityServiceAccount(identity: { clientId: string }): string {
  return `dp-wi-${identity.clientId.toLowerCase()}`;
}
export const workloadIdentitySubject = (namespace: string, identity: { clientId: string }) => `system:serviceaccount:${namespace}:${workloadIdentityServiceAccount(identity)}`;
