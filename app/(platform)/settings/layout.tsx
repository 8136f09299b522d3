import type { ReactNode } from "react";
import { PageHeader } from "../_components/page-header";
import { SettingsTabs } from "./_components/settings-tabs";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your workspace, its members, your API tokens and your account." />
      <SettingsTabs />
      <div className="mt-6">{children}</div>
    </>
  );
}
