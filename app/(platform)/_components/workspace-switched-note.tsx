"use client";

import { useEffect, useState } from "react";
import { setWorkspaceCookie } from "@/app/_lib/workspace-cookie";

/**
 * Shown when a link opened a page of another of the person's workspaces: says so, and remembers
 * that workspace as their choice (as the switcher would), so the next page stays in it.
 */
export function WorkspaceSwitchedNote({ workspaceId, workspaceName }: { workspaceId: string; workspaceName: string }) {
  const [open, setOpen] = useState(true);
  useEffect(() => setWorkspaceCookie(workspaceId), [workspaceId]);
  if (!open) return null;
  return (
    <div role="status" className="mb-4 flex items-center justify-between gap-3 rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900">
      <p>
        Switched to workspace <span className="font-semibold">{workspaceName}</span>
      </p>
      <button
        type="button"
        onClick={() => setOpen(false)}
        className="rounded px-2 py-1 text-sm font-medium hover:bg-sky-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      >
        Dismiss
      </button>
    </div>
  );
}
