import { SIDECAR_COMMANDS, sandboxUserId, type TRun } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { AppError } from "../../errors";
import { log } from "../../log";
import type { WithEtag } from "../../store/documents";
import { runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import type { Store } from "../../store/store";
import { recordTurnBoundaries } from "./append-run-events";
import { forgetProgress } from "./run-progress-cache";
import { highestSeq, holes, type SeqRange, withHolesLost } from "./run-progress";

const REPLAY_TIMEOUT_MS = 60_000;
/** A replay asked for is not asked for again until it is answered, or could no longer be. */
const ASK_AGAIN_AFTER_MS = REPLAY_TIMEOUT_MS + 5_000;
/** A running turn with nothing stored for this long may have lost its tail: ask for anything after it, this often at most. */
const QUIET_TURN_MS = 60_000;

/**
 * Asks a run's sidecar to send events again. Holes are found in the store (the run's progress
 * marker), so asking survives any number of platform restarts: on every sidecar connect, when a
 * batch lands past a hole, and on the periodic pass until the hole is filled.
 */
export function requestReplay(channel: PlatformChannel, sandboxId: string, runId: string, range: { afterSeq: number; throughSeq?: number }): void {
  // Not awaited: callers are event handlers the hub waits on, and the sidecar answers only after sending.
  void replay(channel, sandboxId, runId, range);
}

async function replay(channel: PlatformChannel, sandboxId: string, runId: string, range: { afterSeq: number; throughSeq?: number }): Promise<void> {
  try {
    await channel.send(sandboxUserId(sandboxId), SIDECAR_COMMANDS.eventsReplay, { runId, ...range }, { timeoutMs: REPLAY_TIMEOUT_MS });
  } catch (error) {
    log.warn("run.replay_request_failed", { runId, sandboxId, ...range, error });
  }
}

/**
 * Runs with a replay asked for and not yet answered, and since when: one replay per run at a
 * time, so batches arriving past a hole do not each ask again. Only a brake on repeating
 * ourselves; the holes themselves are in the store, and the periodic pass asks again.
 */
const replaying = new Map<string, number>();
/** When a quiet running turn was last asked for its tail. */
const quietAsked = new Map<string, number>();

/** A replay of the run, unless one is under way; resolves once it is answered or given up on. */
function replayUnlessUnderWay(channel: PlatformChannel, sandboxId: string, runId: string, range: { afterSeq: number; throughSeq?: number }, now: number): Promise<void> | undefined {
  const since = replaying.get(runId);
  if (since !== undefined && now - since < ASK_AGAIN_AFTER_MS) return undefined;
  replaying.set(runId, now);
  return replay(channel, sandboxId, runId, range).finally(() => {
    if (replaying.get(runId) === now) replaying.delete(runId);
  });
}

/**
 * Asks for the run's holes (one replay spanning them all; what is stored already is skipped),
 * unless a replay is under way. Once the sidecar has answered, holes found meanwhile are asked
 * for at once, for as long as each replay makes progress; the periodic pass covers the rest.
 */
export function askToFillHoles(store: Store, channel: PlatformChannel, sandboxId: string, runId: string, missing: SeqRange[], now = Date.now()): boolean {
  const first = missing[0];
  if (!first) return false;
  const replayed = replayUnlessUnderWay(channel, sandboxId, runId, { afterSeq: first.fromSeq - 1, throughSeq: missing.at(-1)!.toSeq }, now);
  if (!replayed) return false;
  log.info("run.events_missing", { runId, sandboxId, fromSeq: first.fromSeq, toSeq: missing.at(-1)!.toSeq, holes: missing.length });
  void (async () => {
    await replayed;
    const progress = await runLogStore(store).progress(runId);
    if (progress && progress.contiguousSeq >= first.fromSeq) askToFillHoles(store, channel, sandboxId, runId, holes(progress));
  })().catch((error: unknown) => log.warn("run.replay_follow_up_failed", { runId, sandboxId, error }));
  return true;
}

/**
 * Gives up the run's holes: the sandbox whose log held them is gone (destroyed, failed, or
 * replaced by a new one for the next turn), so nothing can send them any more. Streams step
 * over them as they always did after a wait; the watermark moves on and the periodic pass stops asking.
 */
export async function giveUpHoles(store: Store, runId: string, why: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const progress = await runLogStore(store).progress(runId);
    if (!progress?.hasHoles) return;
    try {
      const lost = holes(progress);
      await runLogStore(store).replaceProgress(progress, withHolesLost(progress));
      forgetProgress(runId);
      log.warn("run.events_lost", { runId, why, holes: lost.length, fromSeq: lost[0]?.fromSeq, toSeq: lost.at(-1)?.toSeq });
      return;
    } catch (error) {
      if (!(error instanceof AppError && error.code === "CONFLICT") || attempt === 3) throw error;
    }
  }
}

/** A sidecar (re)connected: each run it serves resends everything after the watermark. */
export async function replayAfterReconnect(store: Store, channel: PlatformChannel, at: { workspaceId: string; sandboxId: string }): Promise<void> {
  for (const run of await runStore(store).onSandbox(at.workspaceId, at.sandboxId)) {
    const progress = await runLogStore(store).progress(run.id);
    requestReplay(channel, at.sandboxId, run.id, { afterSeq: progress?.contiguousSeq ?? 0 });
  }
}

/**
 * A run still "running" whose turn's end is already stored (the platform stopped between storing
 * the events and updating the run): the run is brought up to date. True when it was.
 */
export async function settleEndedTurn(store: Store, run: WithEtag<TRun>): Promise<boolean> {
  const turn = run.lastTurn?.turn;
  const ended = turn === undefined ? undefined : await runLogStore(store).turnEnd(run.id, turn);
  if (!ended) return false;
  log.info("run.turn_end_settled", { runId: run.id, turn });
  await recordTurnBoundaries(store, run, [ended]);
  return true;
}

/**
 * The periodic pass: every run with a hole asks its sidecar to fill it; a running turn whose end
 * is stored is settled; and a turn that has been running with nothing stored for a while asks for
 * anything after its last stored event (a lost last batch leaves no hole to see).
 */
export async function requestMissingEvents(store: Store, channel: PlatformChannel, now = Date.now()): Promise<{ holes: number; quiet: number }> {
  let holeCount = 0;
  let quiet = 0;
  const runLog = runLogStore(store);
  for (const progress of await runLog.progressWithHoles()) {
    const run = await runStore(store).get(progress.workspaceId, progress.runId);
    const sandbox = run?.sandboxId ? await sandboxStore(store).get(run.workspaceId, run.sandboxId) : undefined;
    if (!run || run.status === "ended" || !sandbox || sandbox.status === "destroyed" || sandbox.status === "failed") {
      await giveUpHoles(store, progress.runId, run ? "the run's sandbox is gone" : "the run is gone");
      continue;
    }
    if (askToFillHoles(store, channel, sandbox.id, run.id, holes(progress), now)) holeCount += 1;
  }
  for (const run of await runStore(store).withTurnRunning()) {
    if (await settleEndedTurn(store, run)) continue;
    if (!run.sandboxId || now - (quietAsked.get(run.id) ?? 0) < QUIET_TURN_MS) continue;
    const progress = await runLog.progress(run.id);
    if (now - Date.parse(progress?.updatedAt ?? run.updatedAt) < QUIET_TURN_MS) continue;
    if (!replayUnlessUnderWay(channel, run.sandboxId, run.id, { afterSeq: progress ? highestSeq(progress) : 0 }, now)) continue;
    // An agent thinking quietly for minutes is asked once a minute, not every pass.
    quietAsked.set(run.id, now);
    for (const [old, at] of quietAsked) if (now - at >= QUIET_TURN_MS) quietAsked.delete(old);
    quiet += 1;
  }
  return { holes: holeCount, quiet };
}
