import { SIDECAR_COMMANDS, sandboxUserId } from "@/prisma-free-schema";
import type { PlatformChannel } from "../../channel/platform-channel";
import { log } from "../../log";
import { runLogStore } from "../../store/run-log-store";
import { runStore } from "../../store/run-store";
import type { Store } from "../../store/store";
import type { TRun } from "@/prisma-free-schema";
import type { WithEtag } from "../../store/documents";
import { recordTurnBoundaries } from "./append-run-events";
import { highestSeq, holes, type SeqRange } from "./run-progress";

const REPLAY_TIMEOUT_MS = 60_000;
/** A hole asked for is not asked for again this soon: the sidecar is replaying it meanwhile. */
const ASK_AGAIN_AFTER_MS = 10_000;
/** A running turn with nothing stored for this long may have lost its tail: ask for anything after it. */
const QUIET_TURN_MS = 10_000;

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

/**
 * Asks for the run's holes (one replay spanning them all; what is stored already is skipped),
 * unless a replay is under way. Once the sidecar has answered, holes found meanwhile are asked
 * for at once, for as long as each replay makes progress; the periodic pass covers the rest.
 */
export function askToFillHoles(store: Store, channel: PlatformChannel, sandboxId: string, runId: string, missing: SeqRange[], now = Date.now()): boolean {
  const first = missing[0];
  if (!first) return false;
  const since = replaying.get(runId);
  if (since !== undefined && now - since < ASK_AGAIN_AFTER_MS) return false;
  replaying.set(runId, now);
  log.info("run.events_missing", { runId, sandboxId, fromSeq: first.fromSeq, toSeq: missing.at(-1)!.toSeq, holes: missing.length });
  void (async () => {
    await replay(channel, sandboxId, runId, { afterSeq: first.fromSeq - 1, throughSeq: missing.at(-1)!.toSeq });
    if (replaying.get(runId) === now) replaying.delete(runId);
    const progress = await runLogStore(store).progress(runId);
    if (progress && progress.contiguousSeq >= first.fromSeq) askToFillHoles(store, channel, sandboxId, runId, holes(progress));
  })().catch((error: unknown) => log.warn("run.replay_follow_up_failed", { runId, sandboxId, error }));
  return true;
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
    if (!run?.sandboxId || run.status === "ended") continue;
    if (askToFillHoles(store, channel, run.sandboxId, run.id, holes(progress), now)) holeCount += 1;
  }
  for (const run of await runStore(store).withTurnRunning()) {
    if (await settleEndedTurn(store, run)) continue;
    if (!run.sandboxId) continue;
    const progress = await runLog.progress(run.id);
    if (progress && now - Date.parse(progress.updatedAt) < QUIET_TURN_MS) continue;
    if (!progress && now - Date.parse(run.updatedAt) < QUIET_TURN_MS) continue;
    requestReplay(channel, run.sandboxId, run.id, { afterSeq: progress ? highestSeq(progress) : 0 });
    quiet += 1;
  }
  return { holes: holeCount, quiet };
}
