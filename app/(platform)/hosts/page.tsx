import type { Metadata } from "next";
import { PageHeader } from "../_components/page-header";
import { HostsOverview } from "./_components/hosts-overview";
import { RegisterHostLink } from "./_components/register-host-link";

export const metadata: Metadata = { title: "Sandbox hosts" };

export default function HostsPage() {
  return (
    <>
      <PageHeader
        title="Sandbox hosts"
        description="Managed compute is the default and needs no setup. Register your own Kubernetes clusters and Docker engines here to run sandboxes inside your boundary."
      >
        <RegisterHostLink />
      </PageHeader>
      <HostsOverview />
    </>
  );
}
