import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { PageHeader } from "../_components/page-header";
import { NewRunDialog } from "./_components/new-run-dialog";
import { RunsList } from "./_components/runs-list";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" description="Agent runs in this workspace. Find one by what it was asked, open it to watch its output live, or start a new one.">
        <NewRunDialog />
      </PageHeader>
      {/* The filters are read from the URL's query string, which a prerender does not have. */}
      <Suspense fallback={<LoadingPanel label="Loading runs…" />}>
        <RunsList />
      </Suspense>
    </>
  );
}
