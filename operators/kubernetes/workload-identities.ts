import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { TWorkloadIdentity } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import type { Cluster } from "./cluster";
import { apiMessage, isAlreadyExists, isNotFound } from "./kube-errors";
import { AZURE_WORKLOAD_IDENTITY, identityServiceAccountName, identityServiceAccountOf } from "./pod-manifest";

/**
 * The service account a managed identity's pods run under (Azure Workload Identity): one per
 * identity, annotated with its client and tenant ids, made the first time a sandbox needs it and
 * kept (the federated credential an admin creates in Azure names it); its annotations are put
 * right when a profile's identity changed tenant. Returns its name.
 */
export async function ensureIdentityAccount(cluster: Cluster, hostId: string, identity: TWorkloadIdentity): Promise<string> {
  const { core, namespace } = cluster;
  const name = identityServiceAccountName(identity);
  const wanted = identityServiceAccountOf({ namespace, hostId, identity });
  try {
    const current = await core.readNamespacedServiceAccount({ name, namespace });
    const annotations = current.metadata?.annotations ?? {};
    const stale = [AZURE_WORKLOAD_IDENTITY.clientIdAnnotation, AZURE_WORKLOAD_IDENTITY.tenantIdAnnotation].some((key) => annotations[key] !== wanted.metadata!.annotations![key]);
    if (stale) {
      await core.patchNamespacedServiceAccount({ name, namespace, body: { metadata: { annotations: wanted.metadata!.annotations } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    }
    return name;
  } catch (error) {
    if (!isNotFound(error)) throw new CommandError("identity_unavailable", `the workload identity's service account ${name} could not be read or updated: ${apiMessage(error)}`);
  }
  try {
    await core.createNamespacedServiceAccount({ namespace, body: wanted });
  } catch (error) {
    if (!isAlreadyExists(error)) throw new CommandError("identity_unavailable", `the workload identity's service account ${name} could not be created: ${apiMessage(error)}`);
  }
  return name;
}
