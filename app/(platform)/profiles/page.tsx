import type { Metadata } from "next";
import { hasScope } from "@/prisma-free-schema";
import { HydrateClient, prefetch, prefetched, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../_lib/platform-session";
import { PageHeader } from "../_components/page-header";
import { NewProfileLink } from "./_components/new-profile-link";
import { allHostsInput, profilesListInput, readinessBatches } from "./_components/profile-queries";
import { ProfilesList } from "./_components/profiles-list";
import { PlatformPage } from "../_components/platform-page";

export const metadata: Metadata = { title: "Sandbox profiles" };

/** The list's first page, the hosts it names and the first page's readiness: what ProfilesList asks first. */
async function prefetchProfiles(): Promise<void> {
  const workspace = await pageWorkspace();
  if (!workspace) return;
  const list = trpcServer.profiles.list.infiniteQueryOptions(profilesListInput(workspace.id), { getNextPageParam: (page) => page.cursor });
  await prefetch(
    list,
    ...(hasScope(workspace.scopes, "hosts.read") ? [trpcServer.hosts.list.infiniteQueryOptions(allHostsInput(workspace.id), { getNextPageParam: (page) => page.cursor })] : []),
  );
  const profileIds = prefetched(list.queryKey)?.pages.flatMap((page) => page.items.map((profile) => profile.id)) ?? [];
  await prefetch(...readinessBatches(profileIds).map((batch) => trpcServer.profiles.readiness.queryOptions({ workspaceId: workspace.id, profileIds: batch })));
}

export default async function ProfilesPage() {
  await prefetchProfiles();
  return (
    <PlatformPage>
      <HydrateClient>
        <PageHeader
          title="Sandbox profiles"
          description="What each sandbox is built from and where it runs: managed compute, one of your hosts, or each person's own Docker host."
        >
          <NewProfileLink />
        </PageHeader>
        <ProfilesList />
      </HydrateClient>
    </PlatformPage>
  );
}
