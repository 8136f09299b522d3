import { type TRun, turnRunning } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { caps, withinCap } from "../limits/caps";
import { assertManagedAllowance } from "../limits/compute-allowance";
import { assertSandboxRoom } from "../limits/sandbox-room";
import { saveTurnInput, withNewTurn } from "./run-turns";
import { turnStarts } from "./turn-start-reconciler";

/** Only the person who started a run drives it; everyone in the workspace may watch. */
export function assertRunDriver(run: TRun, actor: Actor): void {
  if (run.startedBy.userId !== actor.userId) throw new AppError("FORBIDDEN", "Only the person who started this run can send it turns or cancel them.");
}

/** The run `actor` is about to drive (cancel a turn, end it): NOT_FOUND outside the workspace, FORBIDDEN to anyone but its starter. */
export async function runToDrive(store: Store, access: WorkspaceAccess, actor: Actor, runId: string): Promise<TRun> {
  const found = await runStore(store).get(access.workspace.id, runId);
  if (!found) throw notFound("Run");
  const { etag: _etag, ...run } = found;
  assertRunDriver(run, actor);
  return run;
}

/**
 * The run's next turn: refused while a turn is still running. The run takes the turn (under its
 * etag, so two sends cannot both take it) with its start queued, then its input is saved as the
 * turn's document, then the turn-start reconciler starts it like the first one (its sandbox reused, or recreated when the
 * profile changed since).
 */
export async function sendTurn(
  deps: SandboxDeps,
  { actor, access, runId, input }: { actor: Actor; access: WorkspaceAccess; runId: string; input: string },
): Promise<{ run: TRun; started: Promise<void> }> {
  const runs = runStore(deps.store);
  const now = new Date().toISOString();
  const update = () =>
    runs.update(access.workspace.id, runId, (run) => {
      assertRunDriver(run, actor);
      if (run.status === "ended") throw new AppError("CONFLICT", "This run has ended; start a new run.");
      if (turnRunning(run)) throw new AppError("CONFLICT", "A turn is still running. Wait for it to end or cancel it first.");
      return withNewTurn(run, now, turnStarts(deps).holder);
    });
  // A turn makes the run active again: within the driver's cap on active runs, and on a sandbox the
  // workspace has room for. (Someone else's run, or one still active, is refused by `update` itself.)
  const current = await runs.get(access.workspace.id, runId);
  const resumes = current !== undefined && current.startedBy.userId === actor.userId && current.status !== "running" && current.status !== "starting" && current.status !== "ended";
  if (resumes) {
    await assertManagedAllowance(deps.store, access.workspace, current.profileId);
    await assertSandboxRoom(deps.store, { workspaceId: access.workspace.id, ownerId: actor.userId, profileId: current.profileId });
  }
  const updated = await (resumes ? withinCap(deps.store, caps.activeRuns(actor.userId), update) : update());
  if (!updated) throw notFound("Run");
  const { etag: _etag, ...run } = updated;
  await saveTurnInput(deps.store, run, input);
  return { run, started: turnStarts(deps).enqueue(access.workspace.id, run.id) };
}
