import { newId, sandboxSlotId, SIDECAR_COMMANDS, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox, type TSandboxDefinition, ZSandboxHealthReply } from "@/prisma-free-schema";
import { CommandFailedError, CommandTimeoutError } from "../../channel/command-errors";
import { AppError } from "../../errors";
import { log } from "../../log";
import type { SandboxProvider } from "../../providers/sandbox-provider";
import { providerFor } from "../../providers/sandbox-providers";
import { sandboxSlotStore } from "../../store/sandbox-slot-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { destroySandbox } from "./destroy-sandbox";
import { caps, withinCap } from "../limits/caps";
import type { SandboxDeps } from "./sandbox-deps";
import { definitionChanges } from "./sandbox-definition";
import { waitForSandboxReady } from "./sandbox-readiness";

const READY_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 10_000;
/** ZSandbox's limit on `failure`. */
const MAX_FAILURE_CHARS = 2_000;

/** How often a launch looks again after another launch claimed the person's slot first. */
const CLAIM_ATTEMPTS = 5;

/**
 * The person's sandbox for a profile, ready to take a turn: the one they have, while what it was
 * made from is unchanged and it is still running (or still starting: another launch is bringing
 * it up, and this one waits for it); otherwise a new one, the old one destroyed. The person's
 * slot (ZSandboxSlot) is claimed on its etag before a sandbox is made, so launches at the same
 * moment, in one process or several, end with one sandbox.
 */
export async function ensureSandbox(
  deps: SandboxDeps,
  want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition },
): Promise<{ sandbox: TSandbox; reused: boolean }> {
  const { workspaceId, ownerId } = want;
  const { profileId } = want.definition;
  const slots = sandboxSlotStore(deps.store);
  const sandboxes = sandboxStore(deps.store);
  const readyMs = deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
    const slot = await slots.get(workspaceId, ownerId, profileId);
    // A slot names the sandbox; a person who launched before slots existed has only their sandbox.
    const found = slot ? (slot.sandboxId ? await sandboxes.get(workspaceId, slot.sandboxId) : undefined) : await sandboxes.liveFor(workspaceId, ownerId, profileId);
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
      if (current.status === "starting" && (await waitForSandboxReady(deps.store, workspaceId, current.id, readyMs))) {
        const ready = await sandboxes.get(workspaceId, current.id);
        if (ready?.status === "ready") return { sandbox: stripEtag(ready), reused: true };
      }
    }
    // A new sandbox: the slot is claimed for it first; a launch that loses the claim looks again, and finds the winner's.
    const id = newId("sbx");
    const claim = { id: sandboxSlotId(ownerId, profileId), type: "sandboxSlot" as const, workspaceId, ownerId, profileId, sandboxId: id, updatedAt: new Date().toISOString() };
    if (!(slot ? await slots.tryReplace(claim, slot.etag) : await slots.tryCreate(claim))) continue;
    if (current) {
      const reason = changed.length > 0 ? `its definition changed (${changed.join(", ")})` : `it was ${current.status} and not running`;
      await destroySandbox(deps, current, reason);
    }
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
  const claimed = await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
    current.status === "paused" ? { ...current, status: "starting", pausedAt: null, lastActiveAt: new Date(started).toISOString(), tokenExpiresAt: new Date(started + SIDECAR_TOKEN_MINUTES * 60_000).toISOString() } : undefined,
  );
  if (!claimed?.after) return undefined;
  const resuming = claimed.after;
  const provider = providerFor(deps.providers, sandbox.definition.provider);
  try {
    await provider.create(resuming, await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES));
    await untilReady(deps, provider, resuming);
  } catch (error) {
    await failLaunch(deps, provider, resuming, error);
  }
  const resumed = { at: new Date().toISOString(), ms: Date.now() - started };
  for (const run of await runStore(deps.store).onSandbox(sandbox.workspaceId, sandbox.id)) {
    await runStore(deps.store).update(run.workspaceId, run.id, (current) => ({ ...current, pausedAt: null, resumed, updatedAt: resumed.at }));
  }
  log.info("sandbox.resumed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, ms: resumed.ms });
  const ready = await sandboxStore(deps.store).get(sandbox.workspaceId, sandbox.id);
  return ready ? stripEtag(ready) : undefined;
}

/**
 * A launch that failed before its sandbox was saved (a cap refused it) lets the slot go, so the
 * next launch does not wait for a sandbox that will never come.
 */
async function releaseUnmadeSlot(deps: SandboxDeps, want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition }, sandboxId: string): Promise<void> {
  const slots = sandboxSlotStore(deps.store);
  const slot = await slots.get(want.workspaceId, want.ownerId, want.definition.profileId).catch(() => undefined);
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

async function launchSandbox(deps: SandboxDeps, want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition }, id: string): Promise<TSandbox> {
  const now = new Date();
  const sandbox: TSandbox = {
    id,
    type: "sandbox",
    workspaceId: want.workspaceId,
    ownerId: want.ownerId,
    definition: want.definition,
    status: "starting",
    failure: null,
    tokenExpiresAt: new Date(now.getTime() + SIDECAR_TOKEN_MINUTES * 60_000).toISOString(),
    meteredUntil: null,
    meterPending: null,
    createdAt: now.toISOString(),
    readyAt: null,
    lastActiveAt: null,
    pausedAt: null,
    destroyedAt: null,
  };
  await withinCap(deps.store, caps.runningSandboxes(sandbox.workspaceId), () => sandboxStore(deps.store).create(sandbox));
  const provider = providerFor(deps.providers, want.definition.provider);
  try {
    const accessUrl = await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
    await provider.create(sandbox, accessUrl);
    await untilReady(deps, provider, sandbox);
  } catch (error) {
    await failLaunch(deps, provider, sandbox, error);
  }
  const ready = await sandboxStore(deps.store).get(sandbox.workspaceId, sandbox.id);
  const { etag: _etag, ...readySandbox } = ready!;
  log.info("sandbox.ready", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, provider: want.definition.provider, ms: Date.now() - now.getTime() });
  return readySandbox;
}

/** A launch (or a resume) that failed: the sandbox is marked failed with the reason, whatever it started is removed, and the error goes on. */
async function failLaunch(deps: SandboxDeps, provider: SandboxProvider, sandbox: TSandbox, error: unknown): Promise<never> {
  const failure = (error instanceof AppError ? error.message : "The sandbox could not be started.").slice(0, MAX_FAILURE_CHARS);
  log.warn("sandbox.launch_failed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, error });
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, status: "failed", failure }));
  await provider.destroy(sandbox).catch(() => undefined);
  throw error instanceof AppError ? error : new AppError("UNAVAILABLE", failure, { cause: error });
}

/**
 * Ready means ready: the sidecar connected, and then answered its health check with this
 * sandbox's id. A connect alone is not enough — a sidecar that connects and then hangs would
 * take the turn and never run it. When either step fails, the provider is asked what it sees
 * (image missing, exited with its last lines) so the failure says why.
 */
async function untilReady(deps: SandboxDeps, provider: SandboxProvider, sandbox: TSandbox): Promise<void> {
  const readyMs = deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
  if (!(await waitForSandboxReady(deps.store, sandbox.workspaceId, sandbox.id, readyMs))) {
    throw new AppError("UNAVAILABLE", withProblem(`The sandbox's sidecar never connected to the platform within ${seconds(readyMs)} s`, await problemOf(provider, sandbox)));
  }
  const healthMs = deps.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
  let reply: unknown;
  try {
    reply = await deps.channel.send(sandboxUserId(sandbox.id), SIDECAR_COMMANDS.health, {}, { timeoutMs: healthMs });
  } catch (error) {
    const what =
      error instanceof CommandTimeoutError
        ? `never answered its health check within ${seconds(healthMs)} s`
        : error instanceof CommandFailedError
          ? `failed its health check: ${error.remoteMessage}`
          : "could not be asked for its health";
    throw new AppError("UNAVAILABLE", withProblem(`The sandbox's sidecar connected but ${what}`, await problemOf(provider, sandbox)), { cause: error });
  }
  const health = ZSandboxHealthReply.safeParse(reply);
  if (!health.success || health.data.sandboxId !== sandbox.id) {
    throw new AppError("UNAVAILABLE", "The sandbox's sidecar answered its health check with something this platform does not accept; check that the sandbox image's sidecar is current.");
  }
}

/** What the provider sees wrong with the sandbox now, or null (also when it cannot be asked). */
async function problemOf(provider: SandboxProvider, sandbox: TSandbox): Promise<string | null> {
  try {
    return (await provider.inspect(sandbox)).problem;
  } catch (error) {
    log.warn("sandbox.inspect_failed", { sandboxId: sandbox.id, error });
    return null;
  }
}

function withProblem(what: string, problem: string | null): string {
  return problem ? `${what}: ${problem}` : `${what}. Try again; if it keeps happening, check the host's health.`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
