import type { Metadata } from "next";
import { NotBuiltPanel } from "../_components/not-built-panel";
import { PageHeader } from "../_components/page-header";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Managed compute used by this workspace." />
      <NotBuiltPanel
        summary="This page will show how many managed compute seconds this workspace used, per day and per profile, against your plan's monthly allowance."
        points={[
          "Managed compute seconds per day and per profile.",
          "Bring-your-own hosts are never metered: runs on your own Kubernetes or Local Docker hosts do not count.",
        ]}
      />
    </>
  );
}
