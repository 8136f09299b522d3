"use client";

import { hasScope } from "@/prisma-free-schema/vocabulary";
import { Alert } from "@/app/_components/alert";
import { useWorkspace } from "../../../_components/workspace-context";
import { ProfileForm } from "../../_components/profile-form";

export function NewProfile() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "profiles.manage")) {
    return <Alert tone="info">You need the profiles.manage scope to create profiles.</Alert>;
  }
  return <ProfileForm mode="create" />;
}
