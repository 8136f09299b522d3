"use client";

import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../_components/workspace-context";
import { ByoPlanNote } from "./byo-plan-note";
import { HostsList } from "./hosts-list";

export function HostsOverview() {
  const workspace = useWorkspace();
  return (
    <div className="space-y-6">
      {workspace.plan.byoHosts ? null : <ByoPlanNote />}
      {/* Without the scope nothing below mounts, so hosts.list is never even asked. */}
      {hasScope(workspace.scopes, "hosts.read") ? (
        <HostsList workspaceId={workspace.id} />
      ) : (
        <Alert tone="info">You need the hosts.read scope to see hosts.</Alert>
      )}
    </div>
  );
}
