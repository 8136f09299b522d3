import { cookies } from "next/headers";
import { Brand } from "@/app/_components/brand";
import { NotFoundCard } from "@/app/_components/not-found-card";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { getSessionActor } from "@/server/auth/session-actor";
import { listMyWorkspaces } from "@/server/services/workspaces/list-my-workspaces";
import { getStore } from "@/server/store/store";
import { PlatformFrame } from "./(platform)/_components/platform-frame";

/**
 * Any unknown address. Signed in, it sits inside the platform's shell, so the way on is where it
 * always is; signed out, it stands alone (and says nothing about which addresses exist). Ours
 * rather than Next.js's built-in page, which styles itself with inline style attributes that the
 * pages' Content-Security-Policy (proxy.ts) does not allow.
 */
export default async function NotFound() {
  const actor = await getSessionActor();
  const workspaces = actor ? await listMyWorkspaces({ store: await getStore(), actor }) : [];
  const chosenId = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = workspaces.find((workspace) => workspace.id === chosenId) ?? workspaces[0];
  if (actor && current) {
    return (
      <PlatformFrame viewer={{ userId: actor.userId, email: actor.email, name: actor.name }} workspaces={workspaces} current={current}>
        <div className="py-8">
          <NotFoundCard />
        </div>
      </PlatformFrame>
    );
  }
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col items-center justify-center gap-6 px-4 py-12 text-center">
      <Brand />
      <NotFoundCard />
    </main>
  );
}
