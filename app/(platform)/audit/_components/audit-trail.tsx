"use client";

import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../_components/workspace-context";
import { AuditEvents } from "./audit-events";

export function AuditTrail() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "audit.read")) {
    return <Alert tone="info">You need the audit.read scope to see the audit trail.</Alert>;
  }
  // No Suspense boundary: the page renders per request, so the URL's filters are known on the
  // server, and a boundary would let the rows stream in after a "Loading" panel (React reveals a
  // streamed boundary only after a pause) instead of arriving in the first HTML.
  return <AuditEvents workspaceId={workspace.id} />;
}
