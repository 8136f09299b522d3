import { SIDECAR_COMMANDS, sandboxUserId, type TRun, type TWorkspace, ZTurnStartReply } from "@/prisma-free-schema";
import { CommandFailedError, CommandTimeoutError, NotConnectedError } from "../../channel/command-errors";
import { AppError } from "../../errors";
import { log } from "../../log";
import { memberStore } from "../../store/member-store";
import { profileStore } from "../../store/profile-store";
import { runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import { forgetServedRun } from "../events/accept-sidecar-run-events";
import { giveUpHoles } from "../events/request-missing-events";
import { highestSeq } from "../events/run-progress";
import { resolveProfile } from "../resolver/resolve-profile";
import { ensureSandbox } from "../sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { sandboxDefinitionOf } from "../sandboxes/sandbox-definition";
import { recordTurnEnd, runTurns, turnInputOf, withTurnEnded } from "./run-turns";
import { acknowledgeTurnStart, startClaimable, stillHolding } from "./turn-start-lease";

const TURN_START_TIMEOUT_MS = 30_000;
/** How long a turn waits for a reused sandbox's sidecar to be back on the channel. */
const SIDECAR_WAIT_MS = 20_000;

/**
 * Puts the run's newest turn in motion, for the process holding its start (`holder`, see
 * turn-start-lease.ts): resolves its profile again (the host may have dropped, the profile may
 * have changed), makes sure the person's sandbox matches the profile (reusing it or recreating
 * it) and hands the sidecar the turn with the conversation so far. Events then arrive over the
 * channel. Throws when it could not: the reconciler decides whether to try again or end the turn
 * as failed with the reason. Safe to run again for the same turn (a retry, another process after
 * this one died): the sandbox slot converges on one sandbox, and a sidecar given a turn it already
 * took answers without running it twice.
 */
export async function dispatchTurn(deps: SandboxDeps, workspace: TWorkspace, run: TRun, holder: string): Promise<void> {
  const runs = runStore(deps.store);
  const runId = run.id;
  const turn = run.lastTurn!;
  // Every turn, read once: this one's input, and the earlier ones as the conversation so far.
  const turns = await runTurns(deps.store, run);
  const input = turnInputOf(turns, turn.turn);
  const profile = await profileStore(deps.store).get(workspace.id, run.profileId);
  if (!profile) throw new AppError("PRECONDITION_FAILED", `The profile “${run.profileName}” was deleted; this run cannot take more turns.`);
  const member = await memberStore(deps.store).findByUserId(workspace.id, run.startedBy.userId);
  if (!member) throw new AppError("PRECONDITION_FAILED", "The person who started this run is no longer a member of the workspace.");
  const resolution = await resolveProfile({ store: deps.store, workspace, member, profile });
  if (!resolution.ok) throw new AppError("PRECONDITION_FAILED", resolution.message, { reason: resolution.reason });

  // On a Kubernetes host each run has a clean pod of its own (seed 003); elsewhere a person's runs of a profile share their sandbox.
  const ownSandbox = resolution.provider === "kubernetes" ? { runId } : {};
  const { sandbox, reused } = await ensureSandbox(deps, { workspaceId: workspace.id, ownerId: run.startedBy.userId, definition: sandboxDefinitionOf(profile, resolution), ...ownSandbox });
  await runs.update(workspace.id, runId, (current) => ({
    ...current,
    sandboxId: sandbox.id,
    placement: { provider: resolution.provider, hostId: resolution.host?.id ?? null, hostName: resolution.host?.name ?? null },
    updatedAt: new Date().toISOString(),
  }));
  forgetServedRun(workspace.id, runId);
  log.info("run.turn_starting", { runId, turn: turn.turn, sandboxId: sandbox.id, reused, attempt: run.turnStart?.attempts });
  // A new sandbox has none of the old one's log: holes it left can never be sent now.
  if (!reused && run.sandboxId && run.sandboxId !== sandbox.id) await giveUpHoles(deps.store, runId, "the run moved to a new sandbox");

  const conversation = turns.filter((earlier) => earlier.turn < turn.turn).map(({ turn: number, input, outcome }) => ({ turn: number, input, outcome }));
  // The sidecar numbers this run's events after every seq stored, so a run that moved sandboxes keeps one sequence.
  const progress = await runLogStore(deps.store).progress(runId);
  // Still this process's to hand over? Stalled past its lease, another may have claimed it, or the turn ended.
  if (!(await stillHolding(deps.store, workspace.id, runId, turn.turn, holder))) {
    log.warn("run.turn_start_abandoned", { runId, turn: turn.turn });
    return;
  }
  const reply = await deps.channel.send(
    sandboxUserId(sandbox.id),
    SIDECAR_COMMANDS.turnStart,
    { runId, turn: turn.turn, input, conversation, afterSeq: progress ? highestSeq(progress) : 0 },
    // A reused sandbox's sidecar may be between connections (a blip, a platform restart).
    { timeoutMs: TURN_START_TIMEOUT_MS, awaitConnectionMs: SIDECAR_WAIT_MS },
  );
  ZTurnStartReply.parse(reply);
  await acknowledgeTurnStart(deps.store, workspace.id, runId, turn.turn);
}

/** Why a dispatch did not get through, in words for the person; and whether trying again may help. */
export function dispatchFailure(error: unknown): { message: string; retry: boolean } {
  if (error instanceof AppError) return { message: error.message, retry: error.code === "CONFLICT" };
  if (error instanceof CommandFailedError) return { message: `The sandbox refused the turn: ${error.remoteMessage}`, retry: false };
  if (error instanceof NotConnectedError) return { message: "The sandbox's sidecar has not reconnected to the platform; send the turn again shortly.", retry: true };
  if (error instanceof CommandTimeoutError) return { message: "The sandbox's sidecar did not answer when it was handed the turn.", retry: true };
  return { message: "The turn could not be started.", retry: true };
}

/**
 * Ends the newest turn as failed without the sidecar (it never got it, or is gone). A caller that
 * judged the run a moment ago says what it judged (`expected`): the turn is ended only if it is
 * still that turn, in that sandbox, its start still held by that process; otherwise nothing changes and
 * undefined comes back.
 */
export async function failTurn(
  deps: Pick<SandboxDeps, "store">,
  workspaceId: string,
  runId: string,
  failure: string,
  expected?: TurnJudgement,
): Promise<TRun | undefined> {
  const now = new Date().toISOString();
  let changed = false;
  const run = await runStore(deps.store).update(workspaceId, runId, (current) => {
    if (expected && !stillAsJudged(current, expected)) return undefined;
    const ended = current.lastTurn && withTurnEnded(current, current.lastTurn.turn, "failed", now);
    changed = Boolean(ended);
    return ended ? { ...ended, status: "idle", failure } : undefined;
  });
  if (!changed) return undefined;
  if (run?.lastTurn) await recordTurnEnd(deps.store, runId, run.lastTurn);
  return run;
}

/**
 * What a caller judged a run by: its newest turn, and (each when given) the sandbox it ran in, the
 * process holding its start, or that its start was claimable by anyone (unclaimed or lapsed) then.
 */
export interface TurnJudgement {
  turn: number;
  sandboxId?: string;
  holder?: string;
  startClaimable?: true;
}

function stillAsJudged(run: TRun, expected: TurnJudgement): boolean {
  if (run.lastTurn?.turn !== expected.turn) return false;
  if (expected.sandboxId !== undefined && run.sandboxId !== expected.sandboxId) return false;
  if (expected.holder !== undefined) return run.turnStart?.phase === "dispatching" && run.turnStart.holder === expected.holder;
  if (expected.startClaimable) return run.turnStart !== null && startClaimable(run.turnStart, Date.now(), "");
  return true;
}
