import { newId, type TProfile, type TSandbox, type TSandboxDefinition } from "@/prisma-free-schema";
import { log } from "../../log";
import { providerFor } from "../../providers/sandbox-providers";
import { profileStore } from "../../store/profile-store";
import { sandboxStore } from "../../store/sandbox-store";
import { workspaceStore } from "../../store/workspace-store";
import { computeAllowanceRefusal } from "../limits/compute-allowance";
import { destroySandbox } from "./destroy-sandbox";
import { launchSandbox } from "./launch-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { definitionChanges, sandboxDefinitionOf } from "./sandbox-definition";

/** How many warm sandboxes one pass starts at most: a pass never holds the schedule for long. */
const STARTS_PER_PASS = 4;

/**
 * Managed compute's warm pools: a profile with `warmPool: N` keeps N sandboxes started and
 * waiting, with no person yet (`ownerId` null), so a launch claims one (claimWarmSandbox) instead
 * of starting one. One pass of the schedule (`topUpWarmPools`) brings every pool to its size:
 * warm sandboxes no longer wanted (the profile changed what it makes, lowered its size, or is
 * gone) are removed, and missing ones started. They count against the workspace's sandbox cap and
 * are metered like any other: keeping them warm is the price of a launch that waits for nothing.
 */
export async function topUpWarmPools(deps: SandboxDeps): Promise<{ started: number; drained: number }> {
  const profiles = new Map((await profileStore(deps.store).withWarmPool()).filter((profile) => profile.hostChoice.kind === "managed").map((profile) => [profile.id, profile]));
  const waiting = new Map<string, TSandbox[]>();
  // A workspace whose managed compute is refused (its plan's allowance spent) keeps no warm sandboxes: drained, and none started.
  const refused = new Set<string>();
  for (const workspaceId of new Set([...profiles.values()].map((profile) => profile.workspaceId))) {
    const workspace = await workspaceStore(deps.store).get(workspaceId);
    if (!workspace || (await computeAllowanceRefusal(deps.store, workspace))) refused.add(workspaceId);
  }
  for (const [id, profile] of profiles) if (refused.has(profile.workspaceId)) profiles.delete(id);
  let drained = 0;
  for (const { etag: _etag, ...sandbox } of await sandboxStore(deps.store).warm()) {
    const profile = profiles.get(sandbox.definition.profileId);
    const wanted = profile && definitionChanges(sandbox.definition, warmDefinitionOf(profile)).length === 0 && sandbox.status !== "failed";
    const pool = waiting.get(sandbox.definition.profileId) ?? [];
    if (wanted && pool.length < profile.warmPool) {
      pool.push(sandbox);
      waiting.set(sandbox.definition.profileId, pool);
      continue;
    }
    // Taken out of the pool on its etag first: one a launch claimed meanwhile is that person's now, and stays.
    const taken = await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) =>
      current.ownerId === null && current.status !== "destroyed" && current.status !== "failed" ? { ...current, status: "failed", failure: "drained from its warm pool" } : undefined,
    );
    if (!taken?.after && sandbox.status !== "failed") continue;
    await destroySandbox(deps, sandbox, profile ? "its profile's warm pool no longer wants it" : "its profile keeps no warm sandboxes now").catch((error: unknown) => log.warn("warm_pool.drain_failed", { sandboxId: sandbox.id, error }));
    drained += 1;
  }
  let started = 0;
  for (const profile of profiles.values()) {
    for (let have = waiting.get(profile.id)?.length ?? 0; have < profile.warmPool && started < STARTS_PER_PASS; have += 1) {
      try {
        await launchSandbox(deps, { workspaceId: profile.workspaceId, ownerId: null, definition: warmDefinitionOf(profile) }, newId("sbx"));
        started += 1;
      } catch (error) {
        // The workspace's cap, or a launch that failed (it says why on its sandbox): tried again next pass.
        log.info("warm_pool.start_refused", { workspaceId: profile.workspaceId, profileId: profile.id, error });
        break;
      }
    }
  }
  return { started, drained };
}

/** What a launch of a managed profile makes (a managed profile resolves to managed compute, whoever launches it). */
function warmDefinitionOf(profile: TProfile): TSandboxDefinition {
  return sandboxDefinitionOf(profile, { ok: true, provider: "managed", host: null, viaDefaultDockerHost: false });
}

/**
 * Takes a warm sandbox that was made as `want` is, for its person, on the sandbox's etag (two
 * launches never take the same one); one whose process is gone is removed and the next tried.
 * Undefined when none waits.
 */
export async function claimWarmSandbox(deps: SandboxDeps, want: { workspaceId: string; ownerId: string; definition: TSandboxDefinition }): Promise<TSandbox | undefined> {
  if (want.definition.provider !== "managed") return undefined;
  const sandboxes = sandboxStore(deps.store);
  for (const { etag: _etag, ...candidate } of await sandboxes.warmReady(want.workspaceId, want.definition.profileId)) {
    if (definitionChanges(candidate.definition, want.definition).length > 0) continue;
    const now = new Date().toISOString();
    const claimed = await sandboxes.update(want.workspaceId, candidate.id, (current) => (current.ownerId === null && current.status === "ready" ? { ...current, ownerId: want.ownerId, lastActiveAt: now } : undefined));
    if (!claimed?.after) continue;
    const { etag: _claimedEtag, ...sandbox } = claimed.after;
    if ((await providerFor(deps.providers, sandbox.definition.provider).inspect(sandbox)).state === "running") {
      log.info("warm_pool.claimed", { workspaceId: sandbox.workspaceId, sandboxId: sandbox.id, profileId: sandbox.definition.profileId });
      return sandbox;
    }
    await destroySandbox(deps, sandbox, "its warm process was gone when claimed").catch(() => undefined);
  }
  return undefined;
}

/** A claimed warm sandbox the launch could not use after all (another launch took the person's slot): back to its pool. */
export async function returnWarmSandbox(deps: SandboxDeps, sandbox: TSandbox): Promise<void> {
  await sandboxStore(deps.store).update(sandbox.workspaceId, sandbox.id, (current) => (current.ownerId === sandbox.ownerId ? { ...current, ownerId: null } : undefined));
}
