import { hasScope, normalizeScopes, type TItemRef, type TItemWorkspace } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { notFound } from "../../errors";
import { hostStore } from "../../store/host-store";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import { listMyWorkspaces, type MyWorkspace } from "./list-my-workspaces";

const LABEL = { run: "Run", host: "Host", profile: "Profile" } as const;

/**
 * Which of the caller's own workspaces holds a linked run, host or profile, so a link copied in
 * one workspace opens while another is chosen. Only workspaces the caller is a member of are ever
 * read (a host only where they may see hosts), and the answer for "no such item" and "an item of a
 * workspace you are not in" is the same NOT_FOUND, so an id never tells whether it exists.
 * `mine`: the caller's workspaces when already listed (the platform layout has them).
 */
export async function locateItem({ store, actor, item, mine }: { store: Store; actor: Actor; item: TItemRef; mine?: MyWorkspace[] }): Promise<TItemWorkspace> {
  const workspaces = mine ?? (await listMyWorkspaces({ store, actor }));
  const candidates = workspaces.filter((workspace) => item.kind !== "host" || hasScope(normalizeScopes(workspace.scopes), "hosts.read"));
  const found = await Promise.all(candidates.map((workspace) => holds(store, workspace.id, item)));
  const home = candidates.find((_, index) => found[index]);
  if (!home) throw notFound(LABEL[item.kind]);
  return { workspaceId: home.id, workspaceName: home.name };
}

async function holds(store: Store, workspaceId: string, item: TItemRef): Promise<boolean> {
  switch (item.kind) {
    case "run":
      return Boolean(await runStore(store).get(workspaceId, item.id));
    case "host":
      return Boolean(await hostStore(store).get(workspaceId, item.id));
    case "profile":
      return Boolean(await profileStore(store).get(workspaceId, item.id));
  }
}
