"use client";

import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../../_components/workspace-context";
import { BYO_NOT_IN_PLAN } from "../../_components/byo-plan-note";
import { RegisterHostForm } from "./register-host-form";

/** The form, or why this person cannot register a host here. */
export function RegisterHost() {
  const workspace = useWorkspace();
  const canManage = hasScope(workspace.scopes, "hosts.manage");
  if (canManage && workspace.plan.byoHosts) return <RegisterHostForm />;
  return (
    <div className="space-y-3">
      {canManage ? null : <Alert tone="info">You need the hosts.manage scope to register hosts.</Alert>}
      {workspace.plan.byoHosts ? null : <Alert tone="info">{BYO_NOT_IN_PLAN}</Alert>}
    </div>
  );
}
