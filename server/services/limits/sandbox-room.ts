import type { Store } from "../../store/store";
import { sandboxStore } from "../../store/sandbox-store";
import { assertRoom, caps } from "./caps";

/**
 * An early answer for a turn that would need a new sandbox while the workspace already runs as
 * many as it may: refused when the person is asked, not later in the background. A turn that
 * reuses the person's sandbox for the profile (running, or paused and resumed) needs no new place. The launch itself
 * counts again under the cap's lock (ensure-sandbox.ts), which is what decides.
 */
export async function assertSandboxRoom(store: Store, want: { workspaceId: string; ownerId: string; profileId: string }): Promise<void> {
  const live = await sandboxStore(store).liveFor(want.workspaceId, want.ownerId, want.profileId);
  if (live && (live.status === "ready" || live.status === "starting")) return;
  // A paused sandbox is resumed under the cap's lock (ensure-sandbox.ts), which decides; a warm one of the profile is taken, not made.
  if (live && (live.status === "paused" || live.status === "pausing")) return;
  if ((await sandboxStore(store).warmReady(want.workspaceId, want.profileId)).length > 0) return;
  await assertRoom(store, caps.runningSandboxes(want.workspaceId));
}
