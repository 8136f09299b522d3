"use client";

import { useQuery } from "@tanstack/react-query";
import { ZHostId } from "@/prisma-free-schema/host";
import { hasScope, HOST_KIND_LABELS } from "@/prisma-free-schema/vocabulary";
import { useTRPC } from "@/app/_trpc/trpc-provider";
import { Alert } from "@/app/_components/alert";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { QueryErrorPanel } from "@/app/_components/query-error-panel";
import { errorCode } from "@/app/_lib/trpc-error";
import { BackLink } from "../../../_components/back-link";
import { useWorkspace } from "../../../_components/workspace-context";
import { HostMissing } from "../../_components/host-missing";
import { HostStatusBadge } from "../../_components/host-status-badge";
import { LIVE_REFETCH_MS } from "../../_components/live-refetch";
import { DefaultDockerSection } from "./default-docker-section";
import { DeleteHostSection } from "./delete-host-section";
import { DockerSettingsSection } from "./docker-settings-section";
import { DockerVolumesSection } from "./docker-volumes-section";
import { EditHostSection } from "./edit-host-section";
import { HostFacts } from "./host-facts";
import { HostNameSection } from "./host-name-section";
import { HostUsageSection } from "./host-usage-section";
import { OperatorPanel } from "./operator-panel";
import { WorkloadIdentitySection } from "./workload-identity-section";
import { hostInput } from "./host-queries";

export function HostDetail({ hostId }: { hostId: string }) {
  const workspace = useWorkspace();
  const canRead = hasScope(workspace.scopes, "hosts.read");
  // An id that cannot be a host's is answered like a deleted one, without asking the server.
  const validId = ZHostId.safeParse(hostId).success;
  if (!canRead) {
    return (
      <>
        <BackLink href="/hosts">Back to hosts</BackLink>
        <Alert tone="info">You need the hosts.read scope to see hosts.</Alert>
      </>
    );
  }
  if (!validId) return <HostMissing />;
  return <HostDetailLoaded workspaceId={workspace.id} hostId={hostId} canManage={hasScope(workspace.scopes, "hosts.manage")} />;
}

function HostDetailLoaded({ workspaceId, hostId, canManage }: { workspaceId: string; hostId: string; canManage: boolean }) {
  const trpc = useTRPC();
  // Status, last seen, operator version and health come from the operator's check-ins: poll, so
  // Awaiting operator → Registered → Connection dropped shows without a reload.
  const query = useQuery(trpc.hosts.get.queryOptions(hostInput(workspaceId, hostId), { refetchInterval: LIVE_REFETCH_MS }));

  if (query.isPending) return <LoadingPanel label="Loading host…" />;
  if (!query.data) {
    if (errorCode(query.error) === "NOT_FOUND") return <HostMissing />;
    return (
      <>
        <BackLink href="/hosts">Back to hosts</BackLink>
        <QueryErrorPanel title="Could not load this host." error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  const host = query.data;
  const reload = () => void query.refetch();
  return (
    <>
      <BackLink href="/hosts">Back to hosts</BackLink>
      <div className="mb-6">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h1 className="break-all font-mono text-2xl font-semibold tracking-tight text-slate-900">{host.name}</h1>
          <HostStatusBadge status={host.status} />
        </div>
        <p className="mt-1 text-sm text-slate-600">{HOST_KIND_LABELS[host.kind]} host</p>
      </div>
      {/* Two columns from lg: what the host is doing on the left, what an admin sets on the right. */}
      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <div data-testid="host-status-column" className="min-w-0 space-y-6">
          <OperatorPanel host={host} canManage={canManage} />
          <HostUsageSection host={host} />
          <HostFacts host={host} />
        </div>
        <div data-testid="host-settings-column" className="min-w-0 space-y-6">
          <HostNameSection host={host} canManage={canManage} onReload={reload} reloading={query.isFetching} />
          {canManage ? <EditHostSection host={host} onReload={reload} reloading={query.isFetching} /> : null}
          {host.kind === "docker" ? <DockerSettingsSection host={host} canManage={canManage} onReload={reload} reloading={query.isFetching} /> : null}
          {host.kind === "docker" ? <DefaultDockerSection host={host} /> : null}
          {host.kind === "docker" ? <DockerVolumesSection host={host} canManage={canManage} /> : null}
          {host.kind === "kubernetes" ? <WorkloadIdentitySection host={host} /> : null}
          {canManage ? <DeleteHostSection host={host} /> : null}
        </div>
      </div>
    </>
  );
}
