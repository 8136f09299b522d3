import type { Metadata } from "next";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../_lib/platform-session";
import { PageHeader } from "../_components/page-header";
import { UsageOverview } from "./_components/usage-overview";
import { USAGE_WINDOW_DAYS } from "./_components/usage-window";
import { PlatformPage } from "../_components/platform-page";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage() {
  const workspace = await pageWorkspace();
  if (workspace) await prefetch(trpcServer.usage.list.queryOptions({ workspaceId: workspace.id, days: USAGE_WINDOW_DAYS }));
  return (
    <PlatformPage>
      <HydrateClient>
        <PageHeader title="Usage" description="Managed compute used by this workspace, per day and per profile, against your plan's monthly allowance." />
        <UsageOverview />
      </HydrateClient>
    </PlatformPage>
  );
}
