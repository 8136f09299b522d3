"use client";

import Link from "next/link";
import { hasScope } from "@/prisma-free-schema";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";

/** Runs start from a profile, so "New run" leads there; only for those who may start one. */
export function NewRunLink() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "runs.start")) return null;
  return (
    <Link href="/profiles" className={`${ui.primaryButton} shrink-0 self-start whitespace-nowrap sm:self-auto`}>
      New run
    </Link>
  );
}
