import { newId, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox, type TSandboxDefinition } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { sandboxStore } from "../../store/sandbox-store";
import { destroySandbox } from "./destroy-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { definitionChanges } from "./sandbox-definition";
import { waitForSandboxReady } from "./sandbox-readiness";

const READY_TIMEOUT_MS = 30_000;

/**
 * The person's sandbox for a profile, ready to take a turn: the one they have, while what it was
 * made from is unchanged and it is still running; otherwise a new one (the old one destroyed).
 */
export async function ensureSandbox(
  deps: SandboxDeps,
  want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition },
): Promise<{ sandbox: TSandbox; reused: boolean }> {
  const sandboxes = sandboxStore(deps.store);
  const live = await sandboxes.liveFor(want.workspaceId, want.ownerId, want.definition.profileId);
  if (live) {
    const { etag: _etag, ...current } = live;
    const changed = definitionChanges(current.definition, want.definition);
    const running = current.status === "ready" && (await providerFor(deps.providers, current.definition.provider).inspect(current)) === "running";
    if (changed.length === 0 && running) return { sandbox: current, reused: true };
    await destroySandbox(deps, current, changed.length > 0 ? `its definition changed (${changed.join(", ")})` : `it was ${current.status} and not running`);
  }
  return { sandbox: await launchSandbox(deps, want), reused: false };
}

async function launchSandbox(deps: SandboxDeps, want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition }): Promise<TSandbox> {
  const now = new Date();
  const sandbox: TSandbox = {
    id: newId("sbx"),
    type: "sandbox",
    workspaceId: want.workspaceId,
    ownerId: want.ownerId,
    definition: want.definition,
    status: "starting",
    failure: null,
    tokenExpiresAt: new Date(now.getTime() + SIDECAR_TOKEN_MINUTES * 60_000).toISOString(),
    meteredUntil: null,
    createdAt: now.toISOString(),
    readyAt: null,
    destroyedAt: null,
  };
  await sandboxStore(deps.store).create(sandbox);
  const provider = providerFor(deps.providers, want.definition.provider);
  try {
    const accessUrl = await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
    await provider.create(sandbox, accessUrl);
    const timeoutMs = deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
    if (!(await waitForSandboxReady(deps.store, sandbox.workspaceId, sandbox.id, timeoutMs))) {
      throw new AppError("UNAVAILABLE", `The sandbox did not come up within ${Math.round(timeoutMs / 1000)} s. Try again; if it keeps happening, check the host's health.`);
    }
  } catch (error) {
    const failure = error instanceof AppError ? error.message : "The sandbox could not be started.";
    log.warn("sandbox.launch_failed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, error });
    await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, status: "failed", failure }));
    await provider.destroy(sandbox).catch(() => undefined);
    throw error instanceof AppError ? error : new AppError("UNAVAILABLE", failure, { cause: error });
  }
  const ready = await sandboxStore(deps.store).get(sandbox.workspaceId, sandbox.id);
  const { etag: _etag, ...readySandbox } = ready!;
  log.info("sandbox.ready", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, provider: want.definition.provider, ms: Date.now() - now.getTime() });
  return readySandbox;
}
