import type { Metadata } from "next";
import { BackLink } from "../../_components/back-link";
import { PageHeader } from "../../_components/page-header";
import { RegisterHost } from "./_components/register-host";

export const metadata: Metadata = { title: "Register host" };

export default function RegisterHostPage() {
  return (
    <>
      <BackLink href="/hosts">Back to hosts</BackLink>
      <PageHeader
        title="Register host"
        description="Add a Kubernetes cluster or a Docker engine you run. It waits for its operator until the operator connects from inside your boundary."
      />
      <RegisterHost />
    </>
  );
}
