import { AZURE_TOKEN_EXCHANGE_AUDIENCE, type TWorkloadIdentityCredentials, workloadIdentityServiceAccount, workloadIdentitySubject } from "@/prisma-free-schema";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import type { Store } from "../../store/store";
import { operatorNamespace } from "../bundles/operator-namespace";

/**
 * The federated credentials a Kubernetes host's workload identities need, as the host page shows
 * them: per managed identity its profiles name, the subject (the service account the operator runs
 * that identity's pods under, in the host's namespace), the audience, and the cluster's issuer as
 * the operator reported it. Empty for a host of another kind.
 */
export async function workloadIdentityCredentials({ store, access, hostId }: { store: Store; access: WorkspaceAccess; hostId: string }): Promise<TWorkloadIdentityCredentials> {
  const host = await hostStore(store).get(access.workspace.id, hostId);
  if (!host) throw notFound("Host");
  const namespace = host.kind === "kubernetes" ? operatorNamespace(host) : "";
  const issuer = typeof host.health.oidcIssuer === "string" ? host.health.oidcIssuer : null;
  const base = { enabled: host.kind === "kubernetes" && host.workloadIdentity, namespace, audience: AZURE_TOKEN_EXCHANGE_AUDIENCE, issuer };
  if (host.kind !== "kubernetes") return { ...base, identities: [] };

  const byClient = new Map<string, TWorkloadIdentityCredentials["identities"][number]>();
  for (const profile of await profileStore(store).pointingAtHost(access.workspace.id, hostId)) {
    const identity = profile.workloadIdentity;
    if (!identity) continue;
    const known = byClient.get(identity.clientId);
    if (known) known.profiles.push({ id: profile.id, name: profile.name });
    else {
      byClient.set(identity.clientId, {
        clientId: identity.clientId,
        tenantId: identity.tenantId,
        serviceAccount: workloadIdentityServiceAccount(identity),
        subject: workloadIdentitySubject(namespace, identity),
        profiles: [{ id: profile.id, name: profile.name }],
      });
    }
  }
  return { ...base, identities: [...byClient.values()].sort((a, b) => a.clientId.localeCompare(b.clientId)) };
}
