import type { Metadata } from "next";
import { NotBuiltPanel } from "../_components/not-built-panel";
import { PageHeader } from "../_components/page-header";

export const metadata: Metadata = { title: "Profiles" };

export default function ProfilesPage() {
  return (
    <>
      <PageHeader title="Profiles" description="Agent profiles and where they run." />
      <NotBuiltPanel
        summary="This page will let you decide where each agent profile runs."
        points={[
          "Create, edit and delete sandbox profiles.",
          "Choose for each profile: managed compute, or one of your own Kubernetes or Local Docker hosts.",
        ]}
      />
    </>
  );
}
