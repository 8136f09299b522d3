import { itemOfPath } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { Store } from "../../store/store";
import type { MyWorkspace } from "./list-my-workspaces";
import { locateItem } from "./locate-item";

/**
 * The workspace a page opens in. Usually the one the person last picked (the cookie); but a link
 * wins over it: `?workspace=ws_…` names one of theirs, and a run, host or profile page opens in
 * whichever of their workspaces holds the item. `switched` says the page is not in the cookie's
 * workspace, so the page can say so and remember the new choice. Never looks outside the person's
 * own workspaces; an item none of them holds leaves the choice alone (the page says "not found").
 */
export async function workspaceForPage(options: {
  store: Store;
  actor: Actor;
  /** The person's workspaces, at least one. */
  workspaces: [MyWorkspace, ...MyWorkspace[]];
  chosenId: string | undefined;
  /** The page's path and query. */
  path: string;
}): Promise<{ current: MyWorkspace; switched: boolean }> {
  const { store, actor, workspaces, chosenId, path } = options;
  const chosen = workspaces.find((workspace) => workspace.id === chosenId) ?? workspaces[0];
  const url = new URL(path, "http://page.invalid");
  const asked = workspaces.find((workspace) => workspace.id === url.searchParams.get("workspace"));
  if (asked) return { current: asked, switched: asked.id !== chosen.id };

  const item = itemOfPath(url.pathname);
  if (!item) return { current: chosen, switched: false };
  if (await found(() => locateItem({ store, actor, item, mine: [chosen] }))) return { current: chosen, switched: false };
  const others = workspaces.filter((workspace) => workspace.id !== chosen.id);
  const home = others.length > 0 ? await found(() => locateItem({ store, actor, item, mine: others })) : undefined;
  const current = home && others.find((workspace) => workspace.id === home.workspaceId);
  return current ? { current, switched: true } : { current: chosen, switched: false };
}

async function found<T>(locate: () => Promise<T>): Promise<T | undefined> {
  try {
    return await locate();
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return undefined;
    throw error;
  }
}
