"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { THostView } from "@/prisma-free-schema";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { CopyButton } from "@/app/_components/copy-button";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../../_components/workspace-context";
import { hostInput } from "./host-queries";

/**
 * Kubernetes only: the federated credentials to create in Azure for the managed identities this
 * host's profiles name (seed 003): subject, audience and the cluster's issuer, each ready to copy.
 */
export function WorkloadIdentitySection({ host }: { host: THostView }) {
  const trpc = useTRPC();
  const workspace = useWorkspace();
  const credentials = useQuery(trpc.hosts.workloadIdentities.queryOptions(hostInput(workspace.id, host.id)));

  return (
    <section aria-labelledby="workload-identity-heading" className={`${ui.card} p-5 sm:p-6`}>
      <h2 id="workload-identity-heading" className="text-base font-semibold text-slate-900">
        Azure Workload Identity
      </h2>
      {!host.workloadIdentity ? (
        <p className="mt-1 text-sm text-slate-600">Off for this host: its pods get no Azure token. Turn it on under Settings to let profiles name a managed identity.</p>
      ) : credentials.isPending ? (
        <p role="status" className="mt-3 text-sm text-slate-600">
          Loading…
        </p>
      ) : !credentials.data ? (
        <QueryErrorPanel title="Could not load the workload identities." error={credentials.error} onRetry={() => void credentials.refetch()} />
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">
            For each managed identity below, create a federated credential in Azure with these values. The operator runs that identity&apos;s pods under the service account the subject
            names, and only those pods get its token.
          </p>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">Issuer</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {credentials.data.issuer ? (
                <>
                  <code className="break-all font-mono text-xs">{credentials.data.issuer}</code>
                  <CopyButton value={credentials.data.issuer} label="Copy issuer" />
                </>
              ) : (
                <span className="text-slate-700">
                  Your cluster&apos;s OIDC issuer URL (the operator reports it once connected; on AKS: <code className="font-mono text-xs">az aks show --query oidcIssuerProfile.issuerUrl</code>)
                </span>
              )}
            </dd>
            <dt className="text-slate-500">Audience</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <code className="font-mono text-xs">{credentials.data.audience}</code>
              <CopyButton value={credentials.data.audience} label="Copy audience" />
            </dd>
          </dl>
          {credentials.data.identities.length === 0 ? (
            <p className="mt-4 text-sm text-slate-700">No profile on this host names a managed identity yet.</p>
          ) : (
            <ul className="mt-4 space-y-3" aria-label="Managed identities">
              {credentials.data.identities.map((identity) => (
                <li key={identity.clientId} className="rounded-md border border-slate-200 p-3 text-sm">
                  <p className="text-slate-700">
                    Client <code className="font-mono text-xs">{identity.clientId}</code> in tenant <code className="font-mono text-xs">{identity.tenantId}</code>, for{" "}
                    {identity.profiles.map((profile, index) => (
                      <span key={profile.id}>
                        {index > 0 ? ", " : ""}
                        <Link className={ui.link} href={`/profiles/${profile.id}`}>
                          {profile.name}
                        </Link>
                      </span>
                    ))}
                  </p>
                  <p className="mt-2 flex flex-wrap items-center gap-2">
                    <span className="text-slate-500">Subject</span>
                    <code className="break-all font-mono text-xs" data-testid="federated-subject">
                      {identity.subject}
                    </code>
                    <CopyButton value={identity.subject} label="Copy subject" />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
