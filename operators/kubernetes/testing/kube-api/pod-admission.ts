import { randomBytes } from "node:crypto";
import { apiErrors } from "./api-errors";
import type { KubeObject, ObjectStore } from "./object-store";
import type { ResourceType } from "./resource-catalog";
import { sameJson } from "./same-json";
import { injectWorkloadIdentity } from "./workload-identity-webhook";

const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

interface Container {
  name: string;
  image?: string;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  [key: string]: unknown;
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; [key: string]: unknown }>;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  [key: string]: unknown;
}

/**
 * What a new pod goes through before it is stored, in the real order: the pod strategy's defaults,
 * the ServiceAccount admission plugin (the account must exist; its token is mounted unless the pod
 * or the account opts out), then the mutating webhooks (Azure Workload Identity). A pod starts
 * Pending; the (test) kubelet moves it on.
 */
export function admitPod(pod: KubeObject, type: ResourceType, store: ObjectStore, clusterTenantId: string): void {
  const spec = (pod.spec ?? {}) as PodSpec;
  pod.spec = spec;
  const name = pod.metadata.name ?? "";
  if (!spec.containers?.length) throw apiErrors.invalid(type, name, [{ field: "spec.containers", message: "Required value" }]);

  const namespace = pod.metadata.namespace ?? "";
  spec.serviceAccountName ||= spec.serviceAccount || "default";
  spec.serviceAccount = spec.serviceAccountName;
  const account = store.get("/serviceaccounts", namespace, spec.serviceAccountName);
  if (!account) throw apiErrors.forbidden(type, name, `error looking up service account ${namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`);

  Object.assign(spec, { restartPolicy: "Always", terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", securityContext: {}, ...spec });
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const pullPolicy = !container.image?.includes(":") || container.image.endsWith(":latest") ? "Always" : "IfNotPresent";
    Object.assign(container, { terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: pullPolicy, resources: {}, ...container });
  }

  if ((spec.automountServiceAccountToken ?? account.automountServiceAccountToken) !== false) mountServiceAccountToken(spec);
  injectWorkloadIdentity(pod, account, clusterTenantId);
  pod.status = { phase: "Pending", qosClass: qosClass(spec.containers) };
}

/**
 * A pod's spec is fixed once created, but for images, activeDeadlineSeconds, tolerations,
 * terminationGracePeriodSeconds and scheduling gates (ValidatePodUpdate); a node is assigned
 * through pods/binding, never by an update.
 */
export function validatePodUpdate(type: ResourceType, current: KubeObject, next: KubeObject): void {
  const fixedPart = (spec: unknown) => {
    const copy = structuredClone((spec ?? {}) as PodSpec);
    for (const container of [...(copy.initContainers ?? []), ...(copy.containers ?? [])]) delete container.image;
    for (const field of ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates"]) delete copy[field];
    return copy;
  };
  if (sameJson(fixedPart(current.spec), fixedPart(next.spec))) return;
  throw apiErrors.invalid(type, current.metadata.name ?? "", [
    {
      field: "spec",
      message:
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    },
  ]);
}

/** Guaranteed when every container's requests equal its limits for cpu and memory; else Burstable if any are set. */
function qosClass(containers: Container[]): string {
  const resources = containers.map((container) => (container.resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> });
  if (resources.every(({ limits, requests }) => ["cpu", "memory"].every((name) => limits?.[name] && (requests?.[name] ?? limits[name]) === limits[name]))) return "Guaranteed";
  return resources.some(({ limits, requests }) => Object.keys({ ...limits, ...requests }).length > 0) ? "Burstable" : "BestEffort";
}

/** The projected `kube-api-access-*` volume the ServiceAccount plugin adds: token, cluster CA, namespace. */
function mountServiceAccountToken(spec: PodSpec): void {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (containers.some((container) => container.volumeMounts?.some((mount) => mount.mountPath === TOKEN_MOUNT_PATH))) return;
  const volumeName = `kube-api-access-${randomBytes(3).toString("hex").slice(0, 5)}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: volumeName,
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
      },
    },
  ];
  for (const container of containers) container.volumeMounts = [...(container.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
}
