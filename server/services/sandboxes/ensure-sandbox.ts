import { newId, sandboxSlotId, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox, type TSandboxDefinition } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { sandboxSlotStore } from "../../store/sandbox-slot-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { definitionChanges } from "./sandbox-definition";
import { waitForSandboxReady } from "./sandbox-readiness";
import { claimWarmSandbox, returnWarmSandbox } from "./warm-pool";
import { launchSandbox, READY_TIMEOUT_MS, untilReady } from "./launch-sandbox";
import { caps, withinCap } from "../limits/caps";

/**
 * The sandbox a launch wants: the person's for a profile, made as `definition` says; with `runId`,
 * that run's own (on a Kubernetes host every run gets a clean pod, seed 003), never shared.
 */
export interface SandboxWant {
  workspaceId: string;
  ownerId: string;
  definition: TSandboxDefinition;
  runId?: string;
}

/** How often a launch looks again after another launch claimed the person's slot first. */
const CLAIM_ATTEMPTS = 5;

/**
 * The person's sandbox for a profile, ready to take a turn: the one they have, while what it was
 * made from is unchanged and it is still running (or still starting: another launch is bringing
 * it up, and this one waits for it); otherwise a new one, the old one destroyed. The person's
 * slot (ZSandboxSlot) is claimed on its etag before a sandbox is made, so launches at the same
 * moment, in one process or several, end with one sandbox.
 */
export async function ensureSandbox(deps: SandboxDeps, want: SandboxWant): Promise<{ sandbox: TSandbox; reused: boolean }> {
  const { workspaceId, ownerId, runId } = want;
  const { profileId } = want.definition;
  const slots = sandboxSlotStore(deps.store);
  const sandboxes = sandboxStore(deps.store);
  const readyMs = deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
    const slot = await slots.get(workspaceId, ownerId, profileId, runId);
    // A slot names the sandbox; a person who launched before slots existed has only their sandbox (never a run's own).
    const found = slot ? (slot.sandboxId ? await sandboxes.get(workspaceId, slot.sandboxId) : undefined) : runId ? undefined : await sandboxes.liveFor(workspaceId, ownerId, profileId);
    // Claimed a moment ago by another launch that has not saved its sandbox yet: wait for it, then look again.
    if (slot?.sandboxId && !found && Date.now() - Date.parse(slot.updatedAt) < readyMs) {
      await untilSaved(deps, workspaceId, slot.sandboxId, Date.parse(slot.updatedAt) + readyMs);
      continue;
    }
    const current = found && found.status !== "destroyed" ? stripEtag(found) : undefined;
    const changed = current ? definitionChanges(current.definition, want.definition) : [];
    if (current && changed.length === 0) {
      if (current.status === "ready" && (await providerFor(deps.providers, current.definition.provider).inspect(current)).state === "running") {
        // Marked busy on its etag before the turn is handed over: an idle pause claimed in between wins, and this looks again (and resumes it).
        if (await markActive(deps, current)) return { sandbox: current, reused: true };
        continue;
      }
      if (current.status === "paused") {
        const resumed = await resumeSandbox(deps, current);
        if (resumed) return { sandbox: resumed, reused: true };
        continue;
      }
      // Being paused: the stop under way would kill what a resume starts, so wait until it is paused, then resume it.
      if (current.status === "pausing") {
        await untilNotPausing(deps, current, Date.now() + readyMs);
        continue;
      }
      if (current.status === "starting" && (await waitForSandboxReady(deps.store, workspaceId, current.id, readyMs))) {
        const ready = await sandboxes.get(workspaceId, current.id);
        if (ready?.status === "ready") return { sandbox: stripEtag(ready), reused: true };
      }
    }
    // A new sandbox: one from the profile's warm pool if one waits, else a fresh one. The
    // person's slot is claimed for it first; a launch that loses the claim looks again, and finds the winner's.
    const warm = await claimWarmSandbox(deps, want);
    const id = warm?.id ?? newId("sbx");
    const claim = { id: sandboxSlotId(ownerId, profileId, runId), type: "sandboxSlot" as const, workspaceId, ownerId, profileId, sandboxId: id, updatedAt: new Date().toISOString() };
    if (!(slot ? await slots.tryReplace(claim, slot.etag) : await slots.tryCreate(claim))) {
      if (warm) await returnWarmSandbox(deps, warm);
      continue;
    }
    if (current) {
      const reason = changed.length > 0 ? `its definition changed (${changed.join(", ")})` : `it was ${current.status} and not running`;
      await destroySandbox(deps, current, reason);
    }
    if (warm) return { sandbox: warm, reused: false };
    try {
      return { sandbox: await launchSandbox(deps, want, id), reused: false };
    } catch (error) {
      await releaseUnmadeSlot(deps, want, id);
      throw error;
    }
  }
  throw new AppError("CONFLICT", "Your sandbox for this profile kept changing while it was being readied; send the turn again.");
}

/** Records that a turn is being handed to the ready sandbox; false when it is no longer ready (paused meanwhile). */
async function markActive(deps: SandboxDeps, sandbox: TSandbox): Promise<boolean> {
  const now = new Date().toISOString();
  const marked = await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => (current.status === "ready" ? { ...current, lastActiveAt: now } : undefined));
  return marked?.after?.status === "ready";
}

/**
 * Starts a paused sandbox again where it was (its workspace and event log kept), claimed on its
 * etag so one launch resumes it while the others wait for it; the runs on it are told how long
 * it took. Undefined when another launch claimed it first (the caller looks again).
 */
async function resumeSandbox(deps: SandboxDeps, sandbox: TSandbox): Promise<TSandbox | undefined> {
  const started = Date.now();
  const pausedAt = sandbox.pausedAt;
  // A paused sandbox is not counted as running: starting it again needs room under the workspace's cap.
  const claimed = await withinCap(deps.store, caps.runningSandboxes(sandbox.workspaceId), () =>
    sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
      current.status === "paused" ? { ...current, status: "starting", pausedAt: null, lastActiveAt: new Date(started).toISOString(), tokenExpiresAt: new Date(started + SIDECAR_TOKEN_MINUTES * 60_000).toISOString() } : undefined,
    ),
  );
  if (!claimed?.after) return undefined;
  const { etag: _etag, ...resuming } = claimed.after;
  const provider = providerFor(deps.providers, sandbox.definition.provider);
  try {
    await provider.create(resuming, await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES));
    await untilReady(deps, provider, resuming);
  } catch (error) {
    // Its workspace is what a pause keeps: a resume that failed stops what it started and leaves it paused, to try again.
    log.warn("sandbox.resume_failed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, error });
    await provider.pause?.(resuming).catch(() => undefined);
    await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => (current.status === "starting" || current.status === "ready" ? { ...current, status: "paused", pausedAt } : undefined));
    throw new AppError("UNAVAILABLE", `The paused sandbox could not be resumed (${error instanceof AppError ? error.message : "it did not come back"}); its files are kept. Send the turn again.`, { cause: error });
  }
  const resumed = { at: new Date().toISOString(), ms: Date.now() - started };
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    await runStore(deps.store).update(run.workspaceId, run.id, (current) => ({ ...current, pausedAt: null, resumed, updatedAt: resumed.at }));
  }
  log.info("sandbox.resumed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, ms: resumed.ms });
  const ready = await sandboxStore(deps.store).get(sandbox.workspaceId, sandbox.id);
  return ready?.status === "ready" ? stripEtag(ready) : undefined;
}

/** Until the sandbox is no longer being paused, or `deadline` passes. */
async function untilNotPausing(deps: SandboxDeps, sandbox: TSandbox, deadline: number): Promise<void> {
  while (Date.now() < deadline && (await sandboxStore(deps.store).get(sandbox.workspaceId, sandbox.id))?.status === "pausing") await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * A launch that failed before its sandbox was saved (a cap refused it) lets the slot go, so the
 * next launch does not wait for a sandbox that will never come.
 */
async function releaseUnmadeSlot(deps: SandboxDeps, want: SandboxWant, sandboxId: string): Promise<void> {
  const slots = sandboxSlotStore(deps.store);
  const slot = await slots.get(want.workspaceId, want.ownerId, want.definition.profileId, want.runId).catch(() => undefined);
  if (!slot || slot.sandboxId !== sandboxId || (await sandboxStore(deps.store).get(want.workspaceId, sandboxId))) return;
  const { etag, ...rest } = slot;
  await slots.tryReplace({ ...rest, sandboxId: null, updatedAt: new Date().toISOString() }, etag).catch(() => undefined);
}

/** Until the sandbox `sandboxId` is saved, or `deadline` passes. */
async function untilSaved(deps: SandboxDeps, workspaceId: string, sandboxId: string, deadline: number): Promise<void> {
  while (Date.now() < deadline && !(await sandboxStore(deps.store).get(workspaceId, sandboxId))) await new Promise((resolve) => setTimeout(resolve, 50));
}

function stripEtag<T extends { etag: string }>({ etag: _etag, ...rest }: T): Omit<T, "etag"> {
  return rest;
}
