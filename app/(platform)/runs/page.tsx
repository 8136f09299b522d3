import type { Metadata } from "next";
import { HydrateClient, prefetch, trpcServer } from "@/app/_trpc/server-prefetch";
import { pageWorkspace } from "../_lib/platform-session";
import { PageHeader } from "../_components/page-header";
import { NewRunDialog } from "./_components/new-run-dialog";
import { filtersFromSearchParams, runFilterOptionsInput, runsListInput, workspaceProfilesInput } from "./_components/runs-queries";
import { RunsList } from "./_components/runs-list";
import { PlatformPage } from "../_components/platform-page";

export const metadata: Metadata = { title: "Runs" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The list's first page under the URL's filters, and the filters' choices: what RunsList asks first. */
async function prefetchRuns(searchParams: SearchParams): Promise<void> {
  const workspace = await pageWorkspace();
  if (!workspace) return;
  await prefetch(
    trpcServer.runs.list.infiniteQueryOptions(runsListInput(workspace.id, filtersFromSearchParams(searchParams)), { getNextPageParam: (page) => page.cursor }),
    trpcServer.runs.filterOptions.queryOptions(runFilterOptionsInput(workspace.id)),
    trpcServer.profiles.list.queryOptions(workspaceProfilesInput(workspace.id)),
  );
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await prefetchRuns(await searchParams);
  // No Suspense around the list: the page renders per request, so its URL's filters are known here.
  return (
    <PlatformPage>
      <HydrateClient>
        <PageHeader title="Runs" description="Agent runs in this workspace. Find one by what it was asked, open it to watch its output live, or start a new one.">
          <NewRunDialog />
        </PageHeader>
        <RunsList />
      </HydrateClient>
    </PlatformPage>
  );
}
