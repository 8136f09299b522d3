import type { Metadata } from "next";
import { hasScope } from "@/prisma-free-schema";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../_lib/platform-session";
import { PageHeader } from "../_components/page-header";
import { HostsOverview } from "./_components/hosts-overview";
import { hostsListInput } from "./_components/hosts-queries";
import { RegisterHostLink } from "./_components/register-host-link";
import { PlatformPage } from "../_components/platform-page";

export const metadata: Metadata = { title: "Sandbox hosts" };

/** The list's first page, which HostsList asks first (only with hosts.read, as it does). */
async function prefetchHosts(): Promise<void> {
  const workspace = await pageWorkspace();
  if (!workspace || !hasScope(workspace.scopes, "hosts.read")) return;
  await prefetch(trpcServer.hosts.list.infiniteQueryOptions(hostsListInput(workspace.id), { getNextPageParam: (page) => page.cursor }));
}

export default async function HostsPage() {
  await prefetchHosts();
  return (
    <PlatformPage>
      <HydrateClient>
        <PageHeader
          title="Sandbox hosts"
          description="Managed compute is the default and needs no setup. Register your own Kubernetes clusters and Docker engines here to run sandboxes inside your boundary."
        >
          <RegisterHostLink />
        </PageHeader>
        <HostsOverview />
      </HydrateClient>
    </PlatformPage>
  );
}
