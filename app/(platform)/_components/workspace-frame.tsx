"use client";

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import type { TMyWorkspace } from "@/prisma-free-schema/views";
import { type Viewer, ViewerProvider } from "./viewer-context";
import { PlatformShell } from "./platform-shell";
import { WorkspaceProvider } from "./workspace-context";
import { WorkspaceSwitchedNote } from "./workspace-switched-note";

interface Shown {
  /** Whole, not by id: a page may open a workspace joined (in another tab) since the layout listed them. */
  workspace: TMyWorkspace;
  switched: boolean;
}

interface FrameControls {
  /** A page's own server render decided its workspace (see PageWorkspace): the frame shows the same. */
  report: (shown: Shown) => void;
  /** The person picked a workspace in the switcher: the shell shows it while the page follows. */
  choose: (id: string) => void;
}

const FrameContext = createContext<FrameControls | undefined>(undefined);

interface WorkspaceFrameProps {
  viewer: Viewer;
  workspaces: TMyWorkspace[];
  /** What the platform layout decided when it last rendered. */
  current: TMyWorkspace;
  switched: boolean;
  children: ReactNode;
}

/**
 * The shell's idea of the current workspace. The platform layout decides it, but Next.js renders
 * a shared layout only on a full load or a refresh, not on a click from one page to another; so a
 * page whose server render opened another workspace (a link to another workspace's run) reports
 * it here, and the switcher, the note and every workspace-scoped piece follow without a reload.
 */
export function WorkspaceFrame({ viewer, workspaces, current, switched, children }: WorkspaceFrameProps) {
  const [shown, setShown] = useState<Shown>({ workspace: current, switched });
  // The layout rendered again (a refresh, the switcher): its decision is the latest word.
  const [rendered, setRendered] = useState<Shown>({ workspace: current, switched });
  if (rendered.workspace !== current || rendered.switched !== switched) {
    setRendered({ workspace: current, switched });
    setShown({ workspace: current, switched });
  }

  const report = useCallback((next: Shown) => setShown((was) => (was.workspace.id === next.workspace.id && was.switched === next.switched ? was : next)), []);
  const choose = useCallback(
    (id: string) => setShown((was) => ({ workspace: workspaces.find((one) => one.id === id) ?? was.workspace, switched: false })),
    [workspaces],
  );
  const controls = useMemo(() => ({ report, choose }), [report, choose]);
  const workspace = shown.workspace;
  const options = (workspaces.some((one) => one.id === workspace.id) ? workspaces : [...workspaces, workspace]).map(({ id, name }) => ({ id, name }));

  return (
    <FrameContext.Provider value={controls}>
      <ViewerProvider value={viewer}>
        <WorkspaceProvider value={workspace}>
          <PlatformShell user={{ name: viewer.name, email: viewer.email }} workspaces={options} currentWorkspaceId={workspace.id}>
            {shown.switched ? <WorkspaceSwitchedNote key={workspace.id} workspaceId={workspace.id} workspaceName={workspace.name} /> : null}
            {/* Keyed so half-filled forms and open dialogs do not carry over to another workspace (PageWorkspace does the same for a page's own switch). */}
            <div key={current.id}>{children}</div>
          </PlatformShell>
        </WorkspaceProvider>
      </ViewerProvider>
    </FrameContext.Provider>
  );
}

export function useWorkspaceFrame(): FrameControls {
  const controls = useContext(FrameContext);
  if (!controls) throw new Error("useWorkspaceFrame() must be used inside the platform layout");
  return controls;
}
