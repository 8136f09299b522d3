import { randomUUID } from "node:crypto";
import { turnRunning } from "@/prisma-free-schema";
import { log } from "../../log";
import { KeyedWorkQueue, type PassOutcome } from "../../scheduler/keyed-work-queue";
import { runStore } from "../../store/run-store";
import { workspaceStore } from "../../store/workspace-store";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { dispatchFailure, dispatchTurn, failTurn } from "./start-turn";
import { claimTurnStart, holdTurnDispatch, requeueTurnStart, startClaimable } from "./turn-start-lease";

/** Claims of one turn's start before it is ended as failed with the last attempt's reason. */
export const MAX_DISPATCH_ATTEMPTS = 5;
/** How long after the turn was sent a failed attempt may still be tried again. */
const RETRY_WITHIN_MS = 120_000;
const FIRST_RETRY_MS = 500;
const DISPATCH_WORKERS = 64;
/** The longest one dispatch may take (a Kubernetes pod coming up, then the sidecar readying), past which it is given up and retried. */
const DISPATCH_DEADLINE_MS = 300_000;
const MAX_RETRY_MS = 10_000;

/**
 * Turn starts, driven as a controller drives its objects: the person's request writes the turn
 * with its start "queued" and returns; this process's queue of run keys
 * (`<workspaceId>/<runId>`) then brings each to "acknowledged": claim the start on the run's etag
 * (one process at a time, under a renewed lease), ready the sandbox, hand the sidecar the turn.
 * An attempt that may work if tried again (the sidecar between connections, a reply lost) goes
 * back to queued with its reason and is retried with backoff; one that cannot (the profile gone,
 * the image missing, the allowance spent) ends the turn as failed with that reason at once; so
 * does the last of MAX_DISPATCH_ATTEMPTS. A start queued by a process that died before taking it,
 * or claimed by one that died holding it, is found by the periodic resync (`resyncTurnStarts`)
 * and taken up by whichever process runs it.
 */
export class TurnStartReconciler {
  /** This process, as the starts it claims name it. */
  readonly holder = `dispatch:${randomUUID()}`;
  private readonly queue: KeyedWorkQueue;
  /** The starts this process holds right now (claimed, being dispatched). */
  private readonly held = new Set<{ workspaceId: string; runId: string; turn: number }>();

  constructor(private readonly deps: SandboxDeps) {
    this.queue = new KeyedWorkQueue({
      name: "turn-starts",
      reconcile: (key) => this.reconcile(key),
      // A pass mostly waits (a sandbox coming up, a sidecar answering): many at once, so a slow host holds no other turn back.
      workers: DISPATCH_WORKERS,
      firstBackoffMs: FIRST_RETRY_MS,
      maxBackoffMs: MAX_RETRY_MS,
    });
  }

  /** Takes the run's queued turn start up; resolves once it is settled here (acknowledged, ended, or another process's). */
  enqueue(workspaceId: string, runId: string): Promise<void> {
    return this.queue.add(`${workspaceId}/${runId}`);
  }

  /** The resync: every start any process may claim now, queued here. Returns how many. */
  async resync(now = Date.now()): Promise<number> {
    const due = await runStore(this.deps.store).withTurnStartDue(new Date(now).toISOString());
    for (const run of due) void this.queue.add(`${run.workspaceId}/${run.id}`);
    return due.length;
  }

  /**
   * Takes no more starts; those this process still holds once the grace is over go back to the
   * queue at once, so another process takes them up now rather than when their lease lapses.
   */
  async shutdown(graceMs?: number): Promise<void> {
    await this.queue.shutdown(graceMs);
    await Promise.all(
      [...this.held].map(({ workspaceId, runId, turn }) =>
        requeueTurnStart(this.deps.store, workspaceId, runId, turn, this.holder, new Date(), "The platform process starting this turn stopped; another takes it up.").catch(() => undefined),
      ),
    );
  }

  private async reconcile(key: string): Promise<PassOutcome> {
    const [workspaceId = "", runId = ""] = key.split("/");
    const { store } = this.deps;
    const run = await runStore(store).get(workspaceId, runId);
    const start = run?.turnStart;
    if (!run || !start || !turnRunning(run) || start.phase === "acknowledged") return { done: true };
    const now = Date.now();
    if (!startClaimable(start, now, this.holder)) {
      // Another process holds it under a live lease, or its retry is not due yet: look again when that changes.
      return start.until ? { done: false, againInMs: Math.max(100, Date.parse(start.until) - now + 100) } : { done: true };
    }
    const turn = run.lastTurn!.turn;
    if (start.attempts >= MAX_DISPATCH_ATTEMPTS) {
      // Only if nobody has claimed it since this read (a claim in flight may yet hand it over).
      await failTurn(this.deps, workspaceId, runId, start.lastError ?? "The turn could not be started.", { turn, startClaimable: true });
      return { done: true };
    }
    const workspace = await workspaceStore(store).get(workspaceId);
    if (!workspace) return { done: true };
    const claimed = await claimTurnStart(store, workspaceId, runId, turn, this.holder);
    // Claimed by another process a moment ago, or settled meanwhile: the next pass reads it again.
    if (!claimed) return { done: false, againInMs: 100 };
    const hold = holdTurnDispatch(store, workspaceId, runId, turn, this.holder);
    const held = { workspaceId, runId, turn };
    this.held.add(held);
    try {
      // However its steps hang, a dispatch ends within its deadline: the lease stops being renewed, and a retry (here or elsewhere) takes over.
      await withinDeadline(dispatchTurn(this.deps, workspace, claimed, this.holder), DISPATCH_DEADLINE_MS);
      return { done: true };
    } catch (error) {
      const { message, retry } = error instanceof DispatchDeadlineError ? { message: "Readying the sandbox and handing it the turn took too long.", retry: true } : dispatchFailure(error);
      const attempts = claimed.turnStart!.attempts;
      const youngEnough = Date.now() - Date.parse(claimed.lastTurn!.startedAt) < RETRY_WITHIN_MS;
      if (retry && attempts < MAX_DISPATCH_ATTEMPTS && youngEnough && !hold.lost.aborted) {
        const againInMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
        log.warn("run.turn_start_retrying", { runId, turn, attempts, againInMs, error });
        await requeueTurnStart(store, workspaceId, runId, turn, this.holder, new Date(Date.now() + againInMs), message);
        return { done: false, againInMs };
      }
      log.warn("run.turn_failed_to_start", { runId, turn, attempts, error });
      await failTurn(this.deps, workspaceId, runId, message, { turn, holder: this.holder });
      return { done: true };
    } finally {
      hold.stop();
      this.held.delete(held);
    }
  }
}

class DispatchDeadlineError extends Error {}

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DispatchDeadlineError(`the dispatch took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

const RECONCILERS_KEY = Symbol.for("discoparrot.turn-start-reconcilers");
type ReconcilersHolder = { [RECONCILERS_KEY]?: WeakMap<SandboxDeps, TurnStartReconciler> };

/**
 * The reconciler for `deps` (one per process's deps: the process's is kept on globalThis, since
 * Next.js may load this module in more than one bundle; tests get one per harness).
 */
export function turnStarts(deps: SandboxDeps): TurnStartReconciler {
  const holder = globalThis as ReconcilersHolder;
  const reconcilers = (holder[RECONCILERS_KEY] ??= new WeakMap());
  let reconciler = reconcilers.get(deps);
  if (!reconciler) {
    reconciler = new TurnStartReconciler(deps);
    reconcilers.set(deps, reconciler);
  }
  return reconciler;
}
