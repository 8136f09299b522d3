import type { Metadata } from "next";
import { hasScope } from "@/prisma-free-schema";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../../_lib/platform-session";
import { MembersSettings } from "./_components/members-settings";
import { PlatformPage } from "../../_components/platform-page";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const workspace = await pageWorkspace();
  // Only with members.manage does MembersSettings mount the lists that ask these.
  if (workspace && hasScope(workspace.scopes, "members.manage")) {
    await prefetch(trpcServer.members.list.queryOptions({ workspaceId: workspace.id }), trpcServer.members.invites.queryOptions({ workspaceId: workspace.id }));
  }
  return (
    <PlatformPage>
      <HydrateClient>
        <MembersSettings />
      </HydrateClient>
    </PlatformPage>
  );
}
