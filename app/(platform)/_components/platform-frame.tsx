import type { ReactNode } from "react";
import type { MyWorkspace } from "@/server/services/workspaces/list-my-workspaces";
import { PlatformShell } from "./platform-shell";
import { ViewerProvider } from "./viewer-context";
import { WorkspaceProvider } from "./workspace-context";
import { WorkspaceSwitchedNote } from "./workspace-switched-note";

interface PlatformFrameProps {
  viewer: { userId: string; email: string; name: string };
  workspaces: MyWorkspace[];
  current: MyWorkspace;
  /** The page opened in another workspace than the one last picked (a link led there). */
  switched?: boolean;
  children: ReactNode;
}

/** The signed-in frame: nav, workspace switcher, account; shared by the platform's pages and the app's not-found page. */
export function PlatformFrame({ viewer, workspaces, current, switched = false, children }: PlatformFrameProps) {
  return (
    <ViewerProvider value={viewer}>
      <WorkspaceProvider value={current}>
        <PlatformShell user={{ name: viewer.name, email: viewer.email }} workspaces={workspaces.map(({ id, name }) => ({ id, name }))} currentWorkspaceId={current.id}>
          {switched ? <WorkspaceSwitchedNote workspaceId={current.id} workspaceName={current.name} /> : null}
          {/* Keyed so half-filled forms and open dialogs do not carry over to another workspace. */}
          <div key={current.id}>{children}</div>
        </PlatformShell>
      </WorkspaceProvider>
    </ViewerProvider>
  );
}
