import { SIDECAR_COMMANDS, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox, type TSandboxDefinition, ZSandboxHealthReply } from "@/prisma-free-schema";
import { CommandFailedError, CommandTimeoutError } from "../../channel/command-errors";
import { AppError } from "../../errors";
import { log } from "../../log";
import type { SandboxProvider } from "../../providers/sandbox-provider";
import { providerFor } from "../../providers/sandbox-providers";
import { sandboxStore } from "../../store/sandbox-store";
import { caps, withinCap } from "../limits/caps";
import type { SandboxDeps } from "./sandbox-deps";
import { waitForSandboxReady } from "./sandbox-readiness";

export const READY_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 10_000;
/** ZSandbox's limit on `failure`. */
const MAX_FAILURE_CHARS = 2_000;

/**
 * Makes sandbox `id` as `want` says and waits until it is ready (or fails, saying why). With no
 * owner it is a warm sandbox, waiting in its profile's pool (warm-pool.ts).
 */
export async function launchSandbox(deps: SandboxDeps, want: { workspaceId: string; ownerId: string | null; definition: TSandboxDefinition }, id: string): Promise<TSandbox> {
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
export async function failLaunch(deps: SandboxDeps, provider: SandboxProvider, sandbox: TSandbox, error: unknown): Promise<never> {
  const failure = (error instanceof AppError ? error.message : unexpectedFailure(sandbox)).slice(0, MAX_FAILURE_CHARS);
  log.warn("sandbox.launch_failed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, error });
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, status: "failed", failure }));
  await provider.destroy(sandbox).catch(() => undefined);
  throw error instanceof AppError ? error : new AppError("UNAVAILABLE", failure, { cause: error });
}

/**
 * A failure no provider put in words (a bug, a file the platform could not write): where it was
 * and what to do, never the error's own text, which may carry paths or internals; the log has it.
 */
function unexpectedFailure(sandbox: TSandbox): string {
  const where = sandbox.definition.provider === "managed" ? "on managed compute" : "on its host";
  return `The sandbox could not be started ${where}: the platform hit an unexpected error while preparing it. Try again; if it keeps happening, tell your platform's operator (the server log has the details under sandbox.launch_failed, sandbox ${sandbox.id}).`;
}

/**
 * Ready means ready: the sidecar connected, and then answered its health check with this
 * sandbox's id. A connect alone is not enough — a sidecar that connects and then hangs would
 * take the turn and never run it. When either step fails, the provider is asked what it sees
 * (image missing, exited with its last lines) so the failure says why.
 */
export async function untilReady(deps: SandboxDeps, provider: SandboxProvider, sandbox: TSandbox): Promise<void> {
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
