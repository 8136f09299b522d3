import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { Actor } from "@/server/auth/actor";
import { getSessionActor } from "@/server/auth/session-actor";
import { listMyWorkspaces, type MyWorkspace } from "@/server/services/workspaces/list-my-workspaces";
import { workspaceForPage } from "@/server/services/workspaces/workspace-for-page";
import { getStore } from "@/server/store/store";
import { requestPathOf } from "@/server/web/request-id";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";

export interface PlatformSession {
  /** The page asked for, as proxy.ts saw it: sign-in comes back here, and a link may name its workspace. */
  path: string;
  actor: Extract<Actor, { kind: "user" }> | undefined;
  workspaces: MyWorkspace[];
  /** The workspace the page opens in; unset when signed out or in no workspace yet. */
  current: MyWorkspace | undefined;
  switched: boolean;
}

/**
 * Who is signed in and which workspace this request's page opens in: decided once per request
 * (React's cache()), so the platform layout and a page prefetching its data agree on the workspace.
 */
export const platformSession = cache(async (): Promise<PlatformSession> => {
  const path = requestPathOf(await headers());
  const actor = await getSessionActor();
  if (!actor) return { path, actor, workspaces: [], current: undefined, switched: false };
  const store = await getStore();
  const workspaces = await listMyWorkspaces({ store, actor });
  const [first, ...rest] = workspaces;
  if (!first) return { path, actor, workspaces, current: undefined, switched: false };
  // A cookie naming a workspace this person cannot open (removed, or another account's) is ignored.
  const chosenId = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const { current, switched } = await workspaceForPage({ store, actor, workspaces: [first, ...rest], chosenId, path });
  return { path, actor, workspaces, current, switched };
});

/** The workspace this page opens in, for a page's prefetch; unset when the layout is about to redirect. */
export async function pageWorkspace(): Promise<MyWorkspace | undefined> {
  return (await platformSession()).current;
}
