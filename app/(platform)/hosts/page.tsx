import type { Metadata } from "next";
import { NotBuiltPanel } from "../_components/not-built-panel";
import { PageHeader } from "../_components/page-header";

export const metadata: Metadata = { title: "Hosts" };

export default function HostsPage() {
  return (
    <>
      <PageHeader title="Hosts" description="Where your agent sandboxes run, besides managed compute." />
      <NotBuiltPanel
        summary="This page will let you register your own hosts and see whether their operators are healthy."
        points={[
          "Register Kubernetes clusters and Local Docker hosts.",
          "Download the operator bundle for each host.",
          "See each operator's status: connected, last heartbeat, version.",
        ]}
      />
    </>
  );
}
