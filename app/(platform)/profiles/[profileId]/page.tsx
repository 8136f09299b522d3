import type { Metadata } from "next";
import { hasScope, ZProfileId } from "@/prisma-free-schema";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../../_lib/platform-session";
import { allHostsInput } from "../_components/profile-queries";
import { ProfileDetail } from "./_components/profile-detail";
import { PlatformPage } from "../../_components/platform-page";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage({ params }: { params: Promise<{ profileId: string }> }) {
  const { profileId } = await params;
  const workspace = await pageWorkspace();
  // The same queries ProfileDetail, its resolution panel and its form ask, so the first HTML has them.
  if (workspace && ZProfileId.safeParse(profileId).success) {
    const input = { workspaceId: workspace.id, profileId };
    await prefetch(
      trpcServer.profiles.get.queryOptions(input),
      trpcServer.profiles.resolve.queryOptions(input),
      ...(hasScope(workspace.scopes, "hosts.read") ? [trpcServer.hosts.list.infiniteQueryOptions(allHostsInput(workspace.id), { getNextPageParam: (page) => page.cursor })] : []),
    );
  }
  return (
    <PlatformPage>
      <HydrateClient>
        <ProfileDetail profileId={profileId} />
      </HydrateClient>
    </PlatformPage>
  );
}
