import type { Metadata } from "next";
import { hasScope, ZHostId } from "@/prisma-free-schema";
import { HydrateClient, prefetch, prefetched, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../../_lib/platform-session";
import { HostDetail } from "./_components/host-detail";
import { dockerProfilesInput, dockerVolumesAsked, hostInput } from "./_components/host-queries";
import { PlatformPage } from "../../_components/platform-page";

export const metadata: Metadata = { title: "Host" };

/** The host, then what its sections ask for this kind of host and this person: what HostDetail asks first. */
async function prefetchHost(hostId: string): Promise<void> {
  const workspace = await pageWorkspace();
  // An id that cannot be a host's, or no hosts.read: the page answers without asking anything.
  if (!workspace || !hasScope(workspace.scopes, "hosts.read") || !ZHostId.safeParse(hostId).success) return;
  const input = hostInput(workspace.id, hostId);
  const get = trpcServer.hosts.get.queryOptions(input);
  const canManage = hasScope(workspace.scopes, "hosts.manage");
  // The bundle address does not depend on the host, so it is asked alongside it.
  await prefetch(get, trpcServer.hosts.usage.queryOptions(input), ...(canManage ? [trpcServer.hosts.bundleAddress.queryOptions({ workspaceId: workspace.id })] : []));
  const host = prefetched(get.queryKey);
  if (!host) return;
  await prefetch(
    ...(host.kind === "docker" ? [trpcServer.profiles.list.queryOptions(dockerProfilesInput(workspace.id))] : []),
    ...(dockerVolumesAsked(host) ? [trpcServer.hosts.dockerVolumes.queryOptions(input)] : []),
    ...(host.kind === "kubernetes" ? [trpcServer.hosts.workloadIdentities.queryOptions(input)] : []),
  );
}

export default async function HostPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  await prefetchHost(hostId);
  return (
    <PlatformPage>
      <HydrateClient>
        <HostDetail hostId={hostId} />
      </HydrateClient>
    </PlatformPage>
  );
}
