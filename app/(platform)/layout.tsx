import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionActor } from "@/server/auth/session-actor";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { getStore } from "@/server/store/store";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { PlatformShell } from "./_components/platform-shell";
import { ViewerProvider } from "./_components/viewer-context";
import { WorkspaceProvider } from "./_components/workspace-context";

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  const workspaces = await listMyWorkspaces({ store: await getStore(), actor });
  const first = workspaces[0];
  if (!first) redirect("/onboarding");

  // A cookie naming a workspace this person cannot open (removed, or another account's) is ignored.
  const chosen = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = workspaces.find((workspace) => workspace.id === chosen) ?? first;

  return (
    <ViewerProvider value={{ userId: actor.userId, email: actor.email, name: actor.name }}>
      <WorkspaceProvider value={current}>
        <PlatformShell
          user={{ name: actor.name, email: actor.email }}
          workspaces={workspaces.map(({ id, name }) => ({ id, name }))}
          currentWorkspaceId={current.id}
        >
          {/* Keyed so half-filled forms and open dialogs do not carry over to another workspace. */}
          <div key={current.id}>{children}</div>
        </PlatformShell>
      </WorkspaceProvider>
    </ViewerProvider>
  );
}
