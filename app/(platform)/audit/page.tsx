import type { Metadata } from "next";
import { PageHeader } from "../_components/page-header";
import { AuditTrail } from "./_components/audit-trail";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit" description="Who changed what in this workspace, newest first." />
      <AuditTrail />
    </>
  );
}
