"use client";

import Link from "next/link";
import { hasScope } from "@/prisma-free-schema/vocabulary";
import { ui } from "@/app/_lib/ui";
import { useWorkspace } from "../../_components/workspace-context";

/** Only for those who may register, in a workspace whose plan includes bring-your-own hosts. */
export function RegisterHostLink() {
  const workspace = useWorkspace();
  if (!hasScope(workspace.scopes, "hosts.manage") || !workspace.plan.byoHosts) return null;
  return (
    <Link href="/hosts/new" className={`${ui.primaryButton} shrink-0 self-start whitespace-nowrap sm:self-auto`}>
      Register host
    </Link>
  );
}
