import { DEFAULT_IDLE_POLICY, type TRun, type TSandbox, turnRunning } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { auditedChange } from "../audit/append-audit-event";
import { AppError } from "../../errors";
import { meterSandbox } from "../usage/meter-sandbox";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/** A pause whose pass died half-way (its compute perhaps still running) is finished by a later pass after this long. */
const PAUSE_STALE_MS = 30_000;

/**
 * One pass of the idle policy (ZIdlePolicy) over the live sandboxes, run by the schedule:
 *  - a managed sandbox idle past its profile's `pauseAfterMinutes` is paused, in two steps: claimed
 *    as `pausing` on its etag (a turn handed to it meanwhile moved `lastActiveAt`, and wins), then,
 *    once it is metered up to then and its compute is stopped, `paused`. A turn that finds it
 *    `pausing` waits for `paused` and resumes it, so nothing it starts is killed by the stop;
 *  - a sandbox left `pausing` by a pass that died is finished by a later one;
 *  - any sandbox idle past `endAfterHours` is claimed the same way, its runs end, saying why
 *    (audited), and it is removed.
 * Idle means no turn running on it and none handed to it or ended for that long.
 */
export async function applyIdlePolicy(deps: SandboxDeps, now = new Date()): Promise<{ paused: number; ended: number }> {
  let paused = 0;
  let ended = 0;
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).listLive()) {
    // A warm sandbox (no person yet) waits by design: its pool keeps it (warm-pool.ts).
    if (sandbox.ownerId === null) continue;
    try {
      if (sandbox.status === "pausing") {
        if (sandbox.pausedAt && now.getTime() - Date.parse(sandbox.pausedAt) >= PAUSE_STALE_MS) await finishPause(deps, sandbox);
        continue;
      }
      if (sandbox.status !== "ready" && sandbox.status !== "paused") continue;
      const runs = await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id);
      if (runs.some((run) => turnRunning(run) || run.turnStart !== null)) continue;
      const policy = (await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId))?.idle ?? DEFAULT_IDLE_POLICY;
      const idleMs = now.getTime() - idleSince(sandbox, runs);
      if (idleMs >= policy.endAfterHours * 3_600_000) {
        if (await endIdleSandbox(deps, sandbox, policy.endAfterHours, now)) ended += 1;
      } else if (sandbox.status === "ready" && idleMs >= policy.pauseAfterMinutes * 60_000 && providerFor(deps.providers, sandbox.definition.provider).pause) {
        const claimed = await claimForRest(deps, sandbox, now);
        if (claimed) {
          await finishPause(deps, claimed);
          paused += 1;
        }
      }
    } catch (error) {
      log.warn("sandbox.idle_pass_failed", { sandboxId: sandbox.id, error });
    }
  }
  return { paused, ended };
}

/** When the sandbox was last busy: its last turn handed to it, its runs' last turn ended, or its start. */
function idleSince(sandbox: TSandbox, runs: readonly TRun[]): number {
  const times = [sandbox.lastActiveAt, sandbox.readyAt, sandbox.createdAt, ...runs.map((run) => run.lastTurn?.endedAt ?? run.createdAt)];
  return Math.max(...times.filter((time): time is string => time !== null).map((time) => Date.parse(time)));
}

/**
 * Claims the sandbox as `pausing` if it is still as read: ready (or paused) and handed no turn
 * since. Undefined when a turn (or a resume) got there first.
 */
async function claimForRest(deps: SandboxDeps, sandbox: TSandbox, now: Date): Promise<TSandbox | undefined> {
  const claimed = await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.status === sandbox.status && current.lastActiveAt === sandbox.lastActiveAt
      ? { ...current, status: "pausing", pausedAt: current.pausedAt ?? now.toISOString() }
      : undefined,
  );
  if (!claimed?.after) return undefined;
  const { etag: _etag, ...pausing } = claimed.after;
  return pausing;
}

/** Meters a `pausing` sandbox up to its pause, stops its compute, tells its runs, and marks it `paused`. */
async function finishPause(deps: SandboxDeps, sandbox: TSandbox): Promise<void> {
  const profile = await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId);
  // Counted up to the pause; the seconds paused are never metered (metering starts again when it is ready).
  await meterSandbox(deps.store, sandbox, profile?.name ?? "(deleted profile)", new Date(sandbox.pausedAt!));
  await providerFor(deps.providers, sandbox.definition.provider).pause!(sandbox);
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    await runStore(deps.store).update(run.workspaceId, run.id, (current) => (current.status === "ended" || current.pausedAt ? undefined : { ...current, pausedAt: sandbox.pausedAt, updatedAt: new Date().toISOString() }));
  }
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => (current.status === "pausing" ? { ...current, status: "paused" } : undefined));
  log.info("sandbox.paused", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, pausedAt: sandbox.pausedAt });
}

/**
 * Ends a sandbox idle past its policy's hours: claimed first (as for a pause), so a turn handed
 * to it meanwhile keeps it; then its runs end, each with its audit row, and it is removed.
 */
async function endIdleSandbox(deps: SandboxDeps, sandbox: TSandbox, hours: number, now: Date): Promise<boolean> {
  const claimed = await claimForRest(deps, sandbox, now);
  if (!claimed) return false;
  const reason = `Ended after ${hours} ${hours === 1 ? "hour" : "hours"} with nothing to do; its sandbox was removed.`;
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    const at = new Date().toISOString();
    await auditedChange(
      deps.store,
      {
        workspaceId: run.workspaceId,
        eventType: "run.ended",
        actor: { kind: "system", id: "idle-policy", label: "idle policy" },
        target: { kind: "run", id: run.id, label: `${run.profileName} run` },
        data: { turns: run.turnCount, sandboxId: sandbox.id, idleHours: hours },
      },
      { container: "runs", partitionKey: run.workspaceId, id: run.id, landed: { field: "updatedAt", equals: at } },
      async () => {
        const ended = await runStore(deps.store).update(run.workspaceId, run.id, (current) =>
          current.status === "ended" ? undefined : { ...current, status: "ended", endedReason: reason, pausedAt: null, updatedAt: at },
        );
        if (ended?.updatedAt !== at) throw new AppError("CONFLICT", "This run ended meanwhile.");
      },
    ).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    });
  }
  await destroySandbox(deps, claimed, `idle for ${hours} h`);
  return true;
}
