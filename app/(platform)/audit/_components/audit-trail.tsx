"use client";

import { hasScope } from "@/prisma-free-schema";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../_components/workspace-context";
import { AuditEvents } from "./audit-events";

export function AuditTrail() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "audit.read")) {
    return <Alert tone="info">You need the audit.read scope to see the audit trail.</Alert>;
  }
  return <AuditEvents workspaceId={workspace.id} />;
}
