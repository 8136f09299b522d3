import { SIDECAR_COMMANDS, sandboxUserId, type TRun, type TWorkspace, ZTurnStartReply } from "@/prisma-free-schema";
import { NotConnectedError } from "../../channel/command-errors";
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
import { acknowledgeTurnStart, holdTurnDispatch } from "./turn-start-lease";

const TURN_START_TIMEOUT_MS = 30_000;
/** How long a turn waits for a reused sandbox's sidecar to be back on the channel. */
const SIDECAR_WAIT_MS = 20_000;

/**
 * Puts the run's newest turn in motion: resolves its profile again (the host may have dropped,
 * the profile may have changed), makes sure the person's sandbox matches the profile — reusing
 * it or recreating it — and hands the sidecar the turn with the conversation so far. Events
 * then arrive over the channel. A failure ends the turn as failed, with the reason in the log
 * and on the run, never leaves it "running" forever.
 */
export async function startTurn(deps: SandboxDeps, workspace: TWorkspace, runId: string): Promise<void> {
  const runs = runStore(deps.store);
  let stopRenewing: (() => void) | undefined;
  try {
    const run = await runs.get(workspace.id, runId);
    if (!run) throw new AppError("NOT_FOUND", "Run not found.");
    const turn = run.lastTurn!;
    // The start is this process's to finish while it renews its lease; should it die, the schedule ends the turn.
    stopRenewing = holdTurnDispatch(deps.store, workspace.id, runId, turn.turn);
    // Every turn, read once: this one's input, and the earlier ones as the conversation so far.
    const turns = await runTurns(deps.store, run);
    const input = turnInputOf(turns, turn.turn);
    const profile = await profileStore(deps.store).get(workspace.id, run.profileId);
    if (!profile) throw new AppError("PRECONDITION_FAILED", `The profile “${run.profileName}” was deleted; this run cannot take more turns.`);
    const member = await memberStore(deps.store).findByUserId(workspace.id, run.startedBy.userId);
    if (!member) throw new AppError("PRECONDITION_FAILED", "The person who started this run is no longer a member of the workspace.");
    const resolution = await resolveProfile({ store: deps.store, workspace, member, profile });
    if (!resolution.ok) throw new AppError("PRECONDITION_FAILED", resolution.message, { reason: resolution.reason });

    const { sandbox, reused } = await ensureSandbox(deps, { workspaceId: workspace.id, ownerId: run.startedBy.userId, definition: sandboxDefinitionOf(profile, resolution) });
    await runs.update(workspace.id, runId, (current) => ({
      ...current,
      sandboxId: sandbox.id,
      placement: { provider: resolution.provider, hostId: resolution.host?.id ?? null, hostName: resolution.host?.name ?? null },
      updatedAt: new Date().toISOString(),
    }));
    forgetServedRun(workspace.id, runId);
    log.info("run.turn_starting", { runId, turn: turn.turn, sandboxId: sandbox.id, reused });
    // A new sandbox has none of the old one's log: holes it left can never be sent now.
    if (!reused && run.sandboxId && run.sandboxId !== sandbox.id) await giveUpHoles(deps.store, runId, "the run moved to a new sandbox");

    const conversation = turns.filter((earlier) => earlier.turn < turn.turn).map(({ turn: number, input, outcome }) => ({ turn: number, input, outcome }));
    // The sidecar numbers this run's events after every seq stored, so a run that moved sandboxes keeps one sequence.
    const progress = await runLogStore(deps.store).progress(runId);
    // Still this process's to hand over? Stalled past its lease, the schedule may have ended the turn meanwhile.
    const now = await runs.get(workspace.id, runId);
    if (now?.lastTurn?.turn !== turn.turn || now.lastTurn.endedAt !== null || now.turnStart?.phase !== "dispatching") {
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
  } catch (error) {
    const message =
      error instanceof AppError
        ? error.message
        : error instanceof NotConnectedError
          ? "The sandbox's sidecar has not reconnected to the platform; try the turn again shortly."
          : "The turn could not be started.";
    log.warn("run.turn_failed_to_start", { runId, error });
    await failTurn(deps, workspace.id, runId, message);
  } finally {
    stopRenewing?.();
  }
}

/**
 * Ends the newest turn as failed without the sidecar (it never got it, or is gone). A caller that
 * judged the run a moment ago says what it judged (`expected`): the turn is ended only if it is
 * still that turn, in that sandbox, at that stage of its start; otherwise nothing changes and
 * undefined comes back.
 */
export async function failTurn(
  deps: Pick<SandboxDeps, "store">,
  workspaceId: string,
  runId: string,
  failure: string,
  expected?: { turn: number; sandboxId?: string; startLapsedBefore?: string },
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

function stillAsJudged(run: TRun, expected: { turn: number; sandboxId?: string; startLapsedBefore?: string }): boolean {
  if (run.lastTurn?.turn !== expected.turn) return false;
  if (expected.sandboxId !== undefined && run.sandboxId !== expected.sandboxId) return false;
  if (expected.startLapsedBefore !== undefined) {
    return run.turnStart?.phase === "dispatching" && run.turnStart.until !== null && run.turnStart.until < expected.startLapsedBefore;
  }
  return true;
}
