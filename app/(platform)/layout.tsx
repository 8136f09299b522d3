import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionActor } from "@/server/auth/session-actor";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { workspaceForPage } from "@/server/services/workspaces/workspace-for-page";
import { getStore } from "@/server/store/store";
import { requestPathOf } from "@/server/web/request-id";
import { signInPathFor } from "@/app/_lib/safe-callback-url";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { PlatformFrame } from "./_components/platform-frame";

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  // The page asked for, as proxy.ts saw it: sign-in comes back here, and a link may name its workspace.
  const path = requestPathOf(await headers());
  const actor = await getSessionActor();
  if (!actor) redirect(signInPathFor(path));
  const store = await getStore();
  const workspaces = await listMyWorkspaces({ store, actor });
  const [first, ...rest] = workspaces;
  if (!first) redirect("/onboarding");

  // A cookie naming a workspace this person cannot open (removed, or another account's) is ignored.
  const chosenId = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const { current, switched } = await workspaceForPage({ store, actor, workspaces: [first, ...rest], chosenId, path });

  return (
    <PlatformFrame viewer={{ userId: actor.userId, email: actor.email, name: actor.name }} workspaces={workspaces} current={current} switched={switched}>
      {children}
    </PlatformFrame>
  );
}
