import { SIDECAR_COMMANDS, SIDECAR_REFRESH_BEFORE_SECONDS, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TSandbox, ZTokenRefreshReply } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { sandboxStore } from "../../store/sandbox-store";
import { meterSandbox } from "../usage/meter-sandbox";
import type { SandboxDeps } from "./sandbox-deps";

/**
 * One pass over the live sandboxes: a sidecar whose token lapses within two minutes gets a
 * fresh one (over the channel, or out of band through its provider when the channel cannot
 * reach it), and managed sandboxes are metered up to now (with any meter claim a crashed pass
 * left, on live or destroyed sandboxes, counted first). Run by the schedule (platform-jobs.ts).
 */
export async function tendSandboxes(deps: SandboxDeps, now = new Date()): Promise<{ refreshed: number; meteredSeconds: number }> {
  let refreshed = 0;
  let meteredSeconds = 0;
  const profileNames = new Map<string, string>();
  const profileNameOf = async (sandbox: TSandbox) => {
    const key = `${sandbox.workspaceId}:${sandbox.definition.profileId}`;
    if (!profileNames.has(key)) profileNames.set(key, (await profileStore(deps.store).get(sandbox.workspaceId, sandbox.definition.profileId))?.name ?? "(deleted profile)");
    return profileNames.get(key)!;
  };
  // Meter claims a crashed pass left on sandboxes no longer tended (destroyed since): counted now, once.
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).listMeterPending()) {
    if (sandbox.status === "ready" || !sandbox.meterPending) continue;
    try {
      meteredSeconds += await meterSandbox(deps.store, sandbox, await profileNameOf(sandbox), new Date(sandbox.meterPending.until));
    } catch (error) {
      log.warn("sandbox.tend_failed", { sandboxId: sandbox.id, error });
    }
  }
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).listLive()) {
    if (sandbox.status !== "ready") continue;
    try {
      if (sandbox.tokenExpiresAt && Date.parse(sandbox.tokenExpiresAt) - now.getTime() <= SIDECAR_REFRESH_BEFORE_SECONDS * 1000) {
        await refreshToken(deps, sandbox, now);
        refreshed += 1;
      }
      meteredSeconds += await meterSandbox(deps.store, sandbox, await profileNameOf(sandbox), now);
    } catch (error) {
      log.warn("sandbox.tend_failed", { sandboxId: sandbox.id, error });
    }
  }
  return { refreshed, meteredSeconds };
}

async function refreshToken(deps: SandboxDeps, sandbox: TSandbox, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + SIDECAR_TOKEN_MINUTES * 60_000).toISOString();
  const url = await deps.channel.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
  let persisted: boolean;
  try {
    const reply = await deps.channel.send(sandboxUserId(sandbox.id), SIDECAR_COMMANDS.tokenRefresh, { url, expiresAt }, { timeoutMs: 10_000 });
    persisted = ZTokenRefreshReply.parse(reply).persisted;
  } catch (error) {
    // Away from the channel (or an answer that is not a refresh's): hand it the URL where it will look when it reconnects.
    log.info("sandbox.token_refresh_out_of_band", { sandboxId: sandbox.id, error });
    persisted = false;
  }
  // Kept in the sidecar's memory only: the host writes the file too, for a sidecar process that restarts.
  if (!persisted) await providerFor(deps.providers, sandbox.definition.provider).refreshAccess(sandbox, url);
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => ({ ...current, tokenExpiresAt: expiresAt }));
}
