import { firstInputSnippet, newId, type TRun } from "@/prisma-free-schema";
import type { Actor } from "../../auth/actor";
import type { WorkspaceAccess } from "../../auth/workspace-access";
import { AppError, notFound } from "../../errors";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { caps, withinCap } from "../limits/caps";
import { assertSandboxRoom } from "../limits/sandbox-room";
import { resolveProfile } from "../resolver/resolve-profile";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { saveTurnInput } from "./run-turns";
import { queuedTurnStart } from "./turn-start-lease";
import { turnStarts } from "./turn-start-reconciler";

/**
 * Starts a run on a profile with its first input. Where it would land is decided first: a
 * refusal (host not registered, not entitled, …) comes back as the resolver's reason and nothing
 * is created. Otherwise the run is saved at once, its first turn's start queued in the store, and
 * returned; the turn-start reconciler readies its sandbox and hands the turn over (`started`
 * settles when it has, here), so the person watches the run come up rather than a spinner.
 */
export async function startRun(
  deps: SandboxDeps,
  { actor, access, profileId, input }: { actor: Actor; access: WorkspaceAccess; profileId: string; input: string },
): Promise<{ run: TRun; started: Promise<void> }> {
  const { workspace, member } = access;
  const profile = await profileStore(deps.store).get(workspace.id, profileId);
  if (!profile) throw notFound("Profile");
  const resolution = await resolveProfile({ store: deps.store, workspace, member, profile });
  if (!resolution.ok) throw new AppError("PRECONDITION_FAILED", resolution.message, { reason: resolution.reason });
  await assertSandboxRoom(deps.store, { workspaceId: workspace.id, ownerId: actor.userId, profileId: profile.id });

  const now = new Date().toISOString();
  const run: TRun = {
    id: newId("run"),
    type: "run",
    workspaceId: workspace.id,
    profileId: profile.id,
    profileName: profile.name,
    startedBy: { userId: actor.userId, email: actor.email },
    status: "running",
    sandboxId: null,
    placement: { provider: resolution.provider, hostId: resolution.host?.id ?? null, hostName: resolution.host?.name ?? null },
    turnCount: 1,
    lastTurn: { turn: 1, startedAt: now, endedAt: null, outcome: null },
    // In the same write as turn 1 itself, so a listed run always has its snippet.
    firstInput: firstInputSnippet(input),
    failure: null,
    turnStart: queuedTurnStart(turnStarts(deps).holder, Date.parse(now)),
    pausedAt: null,
    resumed: null,
    endedReason: null,
    createdAt: now,
    updatedAt: now,
  };
  const { etag: _etag, ...created } = await withinCap(deps.store, caps.activeRuns(actor.userId), async () => {
    // Last, once the workspace's and the person's rules allow the run: whether this machine can launch it at all.
    const unavailable = await providerFor(deps.providers, resolution.provider).preflight?.();
    if (unavailable) throw new AppError("PRECONDITION_FAILED", unavailable, { reason: "isolation_unavailable" });
    return runStore(deps.store).create(run);
  });
  await saveTurnInput(deps.store, created, input);
  return { run: created, started: turnStarts(deps).enqueue(workspace.id, created.id) };
}
