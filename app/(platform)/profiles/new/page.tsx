import type { Metadata } from "next";
import { BackLink } from "../../_components/back-link";
import { PageHeader } from "../../_components/page-header";
import { NewProfile } from "./_components/new-profile";

export const metadata: Metadata = { title: "New profile" };

export default function NewProfilePage() {
  return (
    <>
      <BackLink href="/profiles">Back to profiles</BackLink>
      <PageHeader title="New profile" description="Decide what a sandbox is built from, how big it is and where it runs." />
      <NewProfile />
    </>
  );
}
