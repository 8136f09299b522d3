import type { Metadata } from "next";
import { NotBuiltPanel } from "../_components/not-built-panel";
import { PageHeader } from "../_components/page-header";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" description="Agent runs in this workspace." />
      <NotBuiltPanel
        summary="This page will let you start runs and watch them as they happen."
        points={["Start a run from a profile and send it turns.", "Watch each run's live event stream.", "Look back at finished runs."]}
      />
    </>
  );
}
