"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setWorkspaceCookie } from "@/app/_lib/workspace-cookie";
import { useWorkspaceFrame } from "./workspace-frame";

export interface WorkspaceOption {
  id: string;
  name: string;
}

export function WorkspaceSwitcher({ workspaces, currentId }: { workspaces: WorkspaceOption[]; currentId: string }) {
  const router = useRouter();
  const [switching, startTransition] = useTransition();
  const frame = useWorkspaceFrame();

  function choose(id: string) {
    setWorkspaceCookie(id);
    frame.choose(id);
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex min-w-0 items-center gap-2">
      <label htmlFor="workspace-switcher" className="sr-only shrink-0 text-sm font-medium text-slate-500 lg:not-sr-only">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        value={currentId}
        disabled={switching}
        onChange={(event) => choose(event.target.value)}
        className="min-w-0 flex-1 truncate rounded-md border border-slate-300 bg-white py-1.5 pl-2.5 pr-8 text-sm font-medium text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 disabled:opacity-60 md:w-44 md:flex-none lg:w-56"
      >
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
      <Link
        href="/onboarding"
        className="shrink-0 rounded-md px-2 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      >
        New workspace
      </Link>
    </div>
  );
}
