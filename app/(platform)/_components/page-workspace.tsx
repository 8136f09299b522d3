"use client";

import { type ReactNode, useEffect } from "react";
import type { TMyWorkspace } from "@/prisma-free-schema/views";
import { WorkspaceProvider } from "./workspace-context";
import { useWorkspaceFrame } from "./workspace-frame";

/**
 * A page in the workspace its own server render chose (platformSession: the cookie, unless a link
 * names another of the person's workspaces). Its pieces use that workspace from the first paint,
 * so they ask for the same data the server prefetched; the shell follows once the page is shown.
 */
export function PageWorkspace({ workspace, switched, children }: { workspace: TMyWorkspace; switched: boolean; children: ReactNode }) {
  const { report } = useWorkspaceFrame();
  useEffect(() => report({ workspace, switched }), [report, workspace, switched]);
  // Keyed so half-filled forms and open dialogs do not carry over to another workspace.
  return (
    <WorkspaceProvider key={workspace.id} value={workspace}>
      {children}
    </WorkspaceProvider>
  );
}
