import type { KubeObject } from "./object-store";

/**
 * The Azure Workload Identity mutating webhook (v1.x, as AKS installs it), applied at pod creation:
 * a pod labelled `azure.workload.identity/use: "true"` gets, in every container not listed in the
 * skip-containers annotation, the env the Azure SDKs read, plus a projected service-account token
 * (audience api://AzureADTokenExchange) mounted where AZURE_FEDERATED_TOKEN_FILE points. Values come
 * from the pod's ServiceAccount annotations; env a container already sets is left alone, and an
 * empty value (no client-id annotation) is not injected, as the webhook does.
 * https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
 */
export const WORKLOAD_IDENTITY = {
  useLabel: "azure.workload.identity/use",
  clientIdAnnotation: "azure.workload.identity/client-id",
  tenantIdAnnotation: "azure.workload.identity/tenant-id",
  expirationAnnotation: "azure.workload.identity/service-account-token-expiration",
  skipContainersAnnotation: "azure.workload.identity/skip-containers",
  volumeName: "azure-identity-token",
  mountPath: "/var/run/secrets/azure/tokens",
  tokenPath: "azure-identity-token",
  audience: "api://AzureADTokenExchange",
  authorityHost: "https://login.microsoftonline.com/",
};

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

/** Mutates `pod` in place. `clusterTenantId` stands in for the tenant the webhook was installed with. */
export function injectWorkloadIdentity(pod: KubeObject, serviceAccount: KubeObject, clusterTenantId: string): void {
  if (pod.metadata.labels?.[WORKLOAD_IDENTITY.useLabel] !== "true") return;
  const accountAnnotations = serviceAccount.metadata.annotations ?? {};
  const podAnnotations = pod.metadata.annotations ?? {};
  const skipped = new Set((podAnnotations[WORKLOAD_IDENTITY.skipContainersAnnotation] ?? "").split(";").map((name) => name.trim()));
  const expirationSeconds = Number(podAnnotations[WORKLOAD_IDENTITY.expirationAnnotation] ?? accountAnnotations[WORKLOAD_IDENTITY.expirationAnnotation] ?? 3600);
  const desiredEnv = [
    { name: "AZURE_CLIENT_ID", value: accountAnnotations[WORKLOAD_IDENTITY.clientIdAnnotation] ?? "" },
    { name: "AZURE_TENANT_ID", value: accountAnnotations[WORKLOAD_IDENTITY.tenantIdAnnotation] ?? clusterTenantId },
    { name: "AZURE_FEDERATED_TOKEN_FILE", value: `${WORKLOAD_IDENTITY.mountPath}/${WORKLOAD_IDENTITY.tokenPath}` },
    { name: "AZURE_AUTHORITY_HOST", value: WORKLOAD_IDENTITY.authorityHost },
  ];

  const spec = pod.spec as { containers?: Container[]; initContainers?: Container[]; volumes?: Array<{ name: string }> };
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (skipped.has(container.name)) continue;
    const present = new Set((container.env ?? []).map((env) => env.name));
    container.env = [...(container.env ?? []), ...desiredEnv.filter((env) => env.value !== "" && !present.has(env.name))];
    const mount = { name: WORKLOAD_IDENTITY.volumeName, mountPath: WORKLOAD_IDENTITY.mountPath, readOnly: true };
    container.volumeMounts = [...(container.volumeMounts ?? []).filter((existing) => existing.name !== mount.name), mount];
  }
  const volume = {
    name: WORKLOAD_IDENTITY.volumeName,
    projected: { sources: [{ serviceAccountToken: { path: WORKLOAD_IDENTITY.tokenPath, expirationSeconds, audience: WORKLOAD_IDENTITY.audience } }] },
  };
  spec.volumes = [...(spec.volumes ?? []).filter((existing) => existing.name !== volume.name), volume];
}
