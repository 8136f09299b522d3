import type { TWorkloadIdentity } from "@/prisma-free-schema";
import { CommandError } from "../shared/command-error";
import type { Cluster } from "./cluster";
import { apiMessage, isAlreadyExists, isNotFound } from "./kube-errors";
import { identityServiceAccountName, identityServiceAccountOf } from "./pod-manifest";

/**
 * The service account a managed identity's pods run under (Azure Workload Identity): one per
 * identity, annotated with its client and tenant ids, made the first time a sandbox needs it and
 * kept (the federated credential an admin creates in Azure names it). Returns its name.
 */
export async function ensureIdentityAccount(cluster: Cluster, hostId: string, identity: TWorkloadIdentity): Promise<string> {
  const { core, namespace } = cluster;
  const name = identityServiceAccountName(identity);
  try {
    await core.readNamespacedServiceAccount({ name, namespace });
    return name;
  } catch (error) {
    if (!isNotFound(error)) throw new CommandError("identity_unavailable", `the workload identity's service account ${name} could not be read: ${apiMessage(error)}`);
  }
  try {
    await core.createNamespacedServiceAccount({ namespace, body: identityServiceAccountOf({ namespace, hostId, identity }) });
  } catch (error) {
    if (!isAlreadyExists(error)) throw new CommandError("identity_unavailable", `the workload identity's service account ${name} could not be created: ${apiMessage(error)}`);
  }
  return name;
}
