import type { V1Pod, V1Secret, V1ServiceAccount } from "@kubernetes/client-node";
import { SANDBOX_CONTAINER } from "./pod-verdict";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE, RESOURCE_CLASSES, SIDECAR_ENV, type TAgentKind, type TSandboxSpec, type TWorkloadIdentity, workloadIdentityServiceAccount, ZSandboxId } from "@/prisma-free-schema";

/**
 * What a sandbox is in a cluster: one pod, hardened as seed 004 lists (non-root uid 1000, every
 * capability dropped, no privilege escalation, seccomp RuntimeDefault, CPU and memory limits from
 * the resource class, no Kubernetes API token), a scratch workspace that lives and dies with it
 * (emptyDir), labelled with its host and sandbox; and a Secret holding the sidecar's identity,
 * owned by the pod, so deleting the pod removes it. Pure functions: the cluster calls are in
 * sandbox-pods.ts.
 */
export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  hostId: "discoparrot.dev/host-id",
  sandboxId: "discoparrot.dev/sandbox-id",
  definitionKey: "discoparrot.dev/definition-key",
  workloadIdentity: "discoparrot.dev/workload-identity",
} as const;
export const MANAGED_BY = "discoparrot";

/** Azure Workload Identity's contract (azure.github.io/azure-workload-identity): the pod label the webhook acts on, the service account's annotations. */
export const AZURE_WORKLOAD_IDENTITY = {
  useLabel: "azure.workload.identity/use",
  clientIdAnnotation: "azure.workload.identity/client-id",
  tenantIdAnnotation: "azure.workload.identity/tenant-id",
  audience: AZURE_TOKEN_EXCHANGE_AUDIENCE,
} as const;

const SANDBOX_UID = 1000;
/** Where the image's entry script and the sidecar look (operators/images/sandbox/entry.sh): the identity Secret is mounted there. */
const RUN_DIR = "/run/discoparrot";
const WORKSPACE_DIR = "/workspace";
const STATE_DIR = "/var/lib/discoparrot";
const SIDECAR_CONTAINER = SANDBOX_CONTAINER;
/** Disk a sandbox may use, whatever its class: its workspace, its event log, and its writable layer and logs. A sandbox over it is evicted, never the node's other work. */
const DISK = { workspace: "10Gi", state: "1Gi", ephemeral: "2Gi" } as const;

/** Pod names are DNS labels: `dp-sbx-<id>` (a sandbox id's underscore is not allowed in a name). */
export const sandboxPodName = (sandboxId: string) => `dp-${sandboxId.replace("_", "-")}`;
export const identitySecretName = (sandboxId: string) => `${sandboxPodName(sandboxId)}-identity`;

/** The sandbox id a pod carries, if it is a valid one. */
export function sandboxIdOfPod(pod: V1Pod): string | undefined {
  const id = pod.metadata?.labels?.[LABELS.sandboxId];
  return id && ZSandboxId.safeParse(id).success ? id : undefined;
}

/** The labels every object of this host's carries: what the operator lists, watches and removes by. */
export function hostLabels(hostId: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.hostId]: hostId };
}
export const hostSelector = (hostId: string) => `${LABELS.managedBy}=${MANAGED_BY},${LABELS.hostId}=${hostId}`;

/** The service account a managed identity's pods run under: one per identity, named for its client id (the platform shows the same name on the host page). */
export const identityServiceAccountName = workloadIdentityServiceAccount;

export function identityServiceAccountOf(options: { namespace: string; hostId: string; identity: TWorkloadIdentity }): V1ServiceAccount {
  const { namespace, hostId, identity } = options;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: identityServiceAccountName(identity),
      namespace,
      labels: { ...hostLabels(hostId), [LABELS.workloadIdentity]: "true" },
      annotations: { [AZURE_WORKLOAD_IDENTITY.clientIdAnnotation]: identity.clientId, [AZURE_WORKLOAD_IDENTITY.tenantIdAnnotation]: identity.tenantId },
    },
    // The Azure token is projected by the webhook; the Kubernetes API token never is.
    automountServiceAccountToken: false,
  };
}

export interface SandboxPodOptions {
  namespace: string;
  hostId: string;
  sandboxId: string;
  spec: TSandboxSpec;
  /** The service account of pods without a workload identity (the manifest's, with no API access). */
  sandboxServiceAccount: string;
}

export function sandboxPodOf(options: SandboxPodOptions): V1Pod {
  const { namespace, hostId, sandboxId, spec } = options;
  const identity = spec.kubernetes?.workloadIdentity ?? null;
  const { cpu, memoryMiB } = RESOURCE_CLASSES[spec.resourceClass];
  const resources = { cpu: `${Math.round(cpu * 1000)}m`, memory: `${memoryMiB}Mi` };
  const labels: Record<string, string> = { ...hostLabels(hostId), [LABELS.sandboxId]: sandboxId, [LABELS.definitionKey]: spec.definitionKey.slice(0, 63) };
  if (identity) labels[AZURE_WORKLOAD_IDENTITY.useLabel] = "true";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: sandboxPodName(sandboxId), namespace, labels },
    spec: {
      restartPolicy: "Never",
      serviceAccountName: identity ? identityServiceAccountName(identity) : options.sandboxServiceAccount,
      // No Kubernetes API token in any sandbox: a workload identity's Azure token comes from the webhook's own projected volume.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 5,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: SANDBOX_UID,
        runAsGroup: SANDBOX_UID,
        fsGroup: SANDBOX_UID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: SIDECAR_CONTAINER,
          image: `${spec.image}:${spec.tag}`,
          imagePullPolicy: "IfNotPresent",
          securityContext: {
            runAsNonRoot: true,
            runAsUser: SANDBOX_UID,
            runAsGroup: SANDBOX_UID,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          // Requests equal to limits: the pod gets the class it was sized for (Guaranteed QoS), and the scheduler places it by that.
          resources: { requests: { ...resources, "ephemeral-storage": DISK.ephemeral }, limits: { ...resources, "ephemeral-storage": DISK.ephemeral } },
          volumeMounts: [
            { name: "identity", mountPath: RUN_DIR, readOnly: true },
            { name: "workspace", mountPath: WORKSPACE_DIR },
            { name: "state", mountPath: STATE_DIR },
          ],
        },
      ],
      volumes: [
        // 0440 with the pod's fsGroup: the sandbox user reads its access URL; nobody else in the pod exists to.
        { name: "identity", secret: { secretName: identitySecretName(sandboxId), defaultMode: 0o440 } },
        { name: "workspace", emptyDir: { sizeLimit: DISK.workspace } },
        { name: "state", emptyDir: { sizeLimit: DISK.state } },
      ],
    },
  };
}

/** The sidecar's identity, as the entry script reads it (sidecar.env, then the access URL file); owned by the pod. */
export function identitySecretOf(options: { namespace: string; hostId: string; sandboxId: string; agent: TAgentKind; accessUrl: string; pod: { name: string; uid: string } }): V1Secret {
  const { namespace, hostId, sandboxId, agent, accessUrl, pod } = options;
  const env = [
    `${SIDECAR_ENV.sandboxId}=${sandboxId}`,
    `${SIDECAR_ENV.accessUrlFile}=${RUN_DIR}/access-url`,
    `${SIDECAR_ENV.workspaceDir}=${WORKSPACE_DIR}`,
    `${SIDECAR_ENV.eventLog}=${STATE_DIR}/events.jsonl`,
    `${SIDECAR_ENV.agent}=${agent}`,
    "DISCOPARROT_ENV_COMPLETE=1",
  ];
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: identitySecretName(sandboxId),
      namespace,
      labels: { ...hostLabels(hostId), [LABELS.sandboxId]: sandboxId },
      // No blockOwnerDeletion: where OwnerReferencesPermissionEnforcement is on it would need pods/finalizers; garbage collection works without it.
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: pod.name, uid: pod.uid, controller: true }],
    },
    stringData: { "access-url": `${accessUrl}\n`, "sidecar.env": `${env.join("\n")}\n` },
  };
}

/** A merge patch replacing the access URL in the identity Secret: the kubelet brings the mounted file up to date, and the sidecar reads it at its next connect. */
export function accessUrlPatch(accessUrl: string): object {
  return { stringData: { "access-url": `${accessUrl}\n` } };
}
