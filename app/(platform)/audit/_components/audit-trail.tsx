"use client";

import { Suspense } from "react";
import { hasScope } from "@/prisma-free-schema";
import { Alert } from "@/app/_components/alert";
import { LoadingPanel } from "@/app/_components/loading-panel";
import { useWorkspace } from "../../_components/workspace-context";
import { AuditEvents } from "./audit-events";

export function AuditTrail() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "audit.read")) {
    return <Alert tone="info">You need the audit.read scope to see the audit trail.</Alert>;
  }
  // The filters are read from the URL, which a prerendered page only knows in the browser.
  return (
    <Suspense fallback={<LoadingPanel label="Loading audit events…" />}>
      <AuditEvents workspaceId={workspace.id} />
    </Suspense>
  );
}
