"use client";

import Link from "next/link";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";

export function NewProfileLink() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "profiles.manage")) return null;
  return (
    <Link href="/profiles/new" className={`${ui.primaryButton} shrink-0 self-start whitespace-nowrap sm:self-auto`}>
      New profile
    </Link>
  );
}
