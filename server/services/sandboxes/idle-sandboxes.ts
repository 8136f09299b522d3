import { DEFAULT_IDLE_POLICY, type TRun, type TSandbox, turnRunning } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import type { WithEtag } from "../../store/documents";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { appendAuditEvent } from "../audit/append-audit-event";
import { meterSandbox } from "../usage/meter-sandbox";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/**
 * One pass of the idle policy (ZIdlePolicy) over the live sandboxes, run by the schedule:
 *  - a managed sandbox idle past its profile's `pauseAfterMinutes` is paused: claimed as paused on
 *    its etag (a turn handed to it meanwhile wins, see ensure-sandbox.ts), metered up to then, its
 *    compute stopped, its runs told;
 *  - a paused sandbox whose compute still runs (a pass that died half-way) is stopped again;
 *  - any sandbox idle past `endAfterHours` is removed, and its runs end, saying why.
 * Idle means no turn running on it and none handed to it or ended for that long.
 */
export async function applyIdlePolicy(deps: SandboxDeps, now = new Date()): Promise<{ paused: number; ended: number }> {
  let paused = 0;
  let ended = 0;
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).listLive()) {
    // A warm sandbox (no person yet) waits by design: its pool keeps it (warm-pool.ts).
    if ((sandbox.status !== "ready" && sandbox.status !== "paused") || sandbox.ownerId === null) continue;
    try {
      const runs = await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id);
      if (runs.some((run) => turnRunning(run) || run.turnStart !== null)) continue;
      const policy = (await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId))?.idle ?? DEFAULT_IDLE_POLICY;
      const idleMs = now.getTime() - idleSince(sandbox, runs);
      if (idleMs >= policy.endAfterHours * 3_600_000) {
        await endIdleSandbox(deps, sandbox, runs, policy.endAfterHours, now);
        ended += 1;
      } else if (sandbox.status === "ready" && idleMs >= policy.pauseAfterMinutes * 60_000 && providerFor(deps.providers, sandbox.definition.provider).pause) {
        if (await pauseSandbox(deps, sandbox, now)) paused += 1;
      } else if (sandbox.status === "paused") {
        await keepPaused(deps, sandbox);
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

/** Pauses `sandbox` if it is still the ready, untouched sandbox read; returns whether it did. */
async function pauseSandbox(deps: SandboxDeps, sandbox: TSandbox, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const claimed = await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.status === "ready" && current.lastActiveAt === sandbox.lastActiveAt ? { ...current, status: "paused", pausedAt: at } : undefined,
  );
  if (!claimed?.after) return false;
  const profile = await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId);
  // Counted up to the pause; the seconds paused are never metered (metering starts again when it is ready).
  await meterSandbox(deps.store, claimed.after, profile?.name ?? "(deleted profile)", now);
  await providerFor(deps.providers, sandbox.definition.provider).pause!(claimed.after);
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    await runStore(deps.store).update(run.workspaceId, run.id, (current) => (current.status === "ended" || current.pausedAt ? undefined : { ...current, pausedAt: at, updatedAt: at }));
  }
  log.info("sandbox.paused", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, idleSince: new Date(idleSince(sandbox, [])).toISOString() });
  return true;
}

/** A paused sandbox's compute is stopped: a pause that died after its claim is finished here. */
async function keepPaused(deps: SandboxDeps, sandbox: TSandbox): Promise<void> {
  const provider = providerFor(deps.providers, sandbox.definition.provider);
  if ((await provider.inspect(sandbox)).state === "running") {
    log.info("sandbox.pause_finished", { sandboxId: sandbox.id });
    await provider.pause!(sandbox);
  }
}

async function endIdleSandbox(deps: SandboxDeps, sandbox: TSandbox, runs: readonly WithEtag<TRun>[], hours: number, now: Date): Promise<void> {
  const reason = `Ended after ${hours} ${hours === 1 ? "hour" : "hours"} with nothing to do; its sandbox was removed.`;
  const at = now.toISOString();
  for (const run of runs) {
    const ended = await runStore(deps.store).update(run.workspaceId, run.id, (current) =>
      current.status === "ended" || turnRunning(current) ? undefined : { ...current, status: "ended", endedReason: reason, pausedAt: null, updatedAt: at },
    );
    if (ended?.status !== "ended" || ended.updatedAt !== at) continue;
    await appendAuditEvent(deps.store, {
      workspaceId: run.workspaceId,
      eventType: "run.ended",
      actor: { kind: "system", id: "idle-policy", label: "idle policy" },
      target: { kind: "run", id: run.id, label: `${run.profileName} run` },
      data: { turns: ended.turnCount, sandboxId: sandbox.id, idleHours: hours },
    });
  }
  await destroySandbox(deps, sandbox, `idle for ${hours} h`);
}
