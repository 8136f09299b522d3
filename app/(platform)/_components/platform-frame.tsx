import type { ReactNode } from "react";
import type { MyWorkspace } from "@/server/services/workspaces/list-my-workspaces";
import { WorkspaceFrame } from "./workspace-frame";

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
    <WorkspaceFrame viewer={viewer} workspaces={workspaces} current={current} switched={switched}>
      {children}
    </WorkspaceFrame>
  );
}
