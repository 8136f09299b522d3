import type { Metadata } from "next";
import { PageHeader } from "../_components/page-header";
import { NewProfileLink } from "./_components/new-profile-link";
import { ProfilesList } from "./_components/profiles-list";

export const metadata: Metadata = { title: "Sandbox profiles" };

export default function ProfilesPage() {
  return (
    <>
      <PageHeader
        title="Sandbox profiles"
        description="What each sandbox is built from and where it runs: managed compute, one of your hosts, or each person's own Docker host."
      >
        <NewProfileLink />
      </PageHeader>
      <ProfilesList />
    </>
  );
}
