import type { Metadata } from "next";
import { ZRunId } from "@/prisma-free-schema";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../../_lib/platform-session";
import { RunDetail } from "./_components/run-detail";
import { PlatformPage } from "../../_components/platform-page";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const workspace = await pageWorkspace();
  // The run document is in the first HTML; its event stream is the browser's own (it follows a live run).
  if (workspace && ZRunId.safeParse(runId).success) await prefetch(trpcServer.runs.get.queryOptions({ workspaceId: workspace.id, runId }));
  return (
    <PlatformPage>
      <HydrateClient>
        <RunDetail runId={runId} />
      </HydrateClient>
    </PlatformPage>
  );
}
