import type { Metadata } from "next";
import { PageHeader } from "../_components/page-header";
import { UsageOverview } from "./_components/usage-overview";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Managed compute used by this workspace, per day and per profile, against your plan's monthly allowance." />
      <UsageOverview />
    </>
  );
}
