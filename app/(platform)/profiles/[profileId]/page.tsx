import type { Metadata } from "next";
import { ProfileDetail } from "./_components/profile-detail";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage({ params }: { params: Promise<{ profileId: string }> }) {
  const { profileId } = await params;
  return <ProfileDetail profileId={profileId} />;
}
