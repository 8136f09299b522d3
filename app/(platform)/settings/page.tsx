import type { Metadata } from "next";
import { GeneralSettings } from "./_components/general-settings";

export const metadata: Metadata = { title: "Settings" };

export default function GeneralSettingsPage() {
  return <GeneralSettings />;
}
