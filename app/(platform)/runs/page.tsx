import type { Metadata } from "next";
import { PageHeader } from "../_components/page-header";
import { NewRunLink } from "./_components/new-run-link";
import { RunsList } from "./_components/runs-list";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" description="Agent runs in this workspace. Open one to watch its output live or send it the next turn.">
        <NewRunLink />
      </PageHeader>
      <RunsList />
    </>
  );
}
