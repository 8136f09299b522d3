"use client";

import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../../_components/workspace-context";
import { AddMemberForm } from "./add-member-form";
import { MembersTable } from "./members-table";
import { PendingInvites } from "./pending-invites";

export function MembersSettings() {
  const workspace = useWorkspace();
  // Without the scope nothing below mounts, so members.list is never even asked.
  if (!hasScope(workspace.scopes, "members.manage")) {
    return <Alert tone="info">You need the members.manage scope to manage members.</Alert>;
  }
  return (
    <div className="space-y-6">
      <AddMemberForm />
      <PendingInvites />
      <MembersTable />
    </div>
  );
}
