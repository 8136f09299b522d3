import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, type TProfile } from "@/prisma-free-schema";
import type { PlatformHarness } from "../../channel/testing/platform-harness";
import { startManagedPlatform } from "../../testing/managed-platform";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { sandboxSlotStore } from "../../store/sandbox-slot-store";
import { sandboxStore } from "../../store/sandbox-store";
import { addSignedInMember } from "../../testing/test-store";
import { ensureSandbox } from "./ensure-sandbox";
import type { SandboxDeps } from "./sandbox-deps";
import { sandboxDefinitionOf } from "./sandbox-definition";
import { topUpWarmPools } from "./warm-pool";

/**
 * Managed compute's warm pools with real sidecars: a profile's pool is filled, a launch takes a
 * waiting sandbox (its person's from then on) and the pool is filled again, a change of the
 * profile drains what it made before, and a pool of 0 is drained.
 */
let managed: Awaited<ReturnType<typeof startManagedPlatform>>;
let platform: PlatformHarness;
let deps: SandboxDeps;
let provider: LocalProcessProvider;

beforeAll(async () => {
  managed = await startManagedPlatform("dp-warm-");
  ({ platform, deps, provider } = managed);
}, 60_000);
afterAll(() => managed.stop(), 60_000);

const waiting = async (profileId: string) => (await sandboxStore(platform.store).warm()).filter((sandbox) => sandbox.definition.profileId === profileId);
const want = (profile: TProfile, ownerId: string) => ({
  workspaceId: platform.workspaceId,
  ownerId,
  definition: sandboxDefinitionOf(profile, { ok: true, provider: "managed", host: null, viaDefaultDockerHost: false }),
});
async function update(profile: TProfile & { etag: string }, changes: Partial<TProfile>) {
  const { id, etag, workspaceId: _w, type: _t, nameKey: _n, createdBy: _c, createdAt: _a, updatedAt: _u, ...settings } = profile;
  return platform.owner.ownerCaller.profiles.update({ workspaceId: platform.workspaceId, profileId: id, etag, settings: { ...settings, ...changes } });
}

describe("a profile's warm pool", () => {
  it("is filled, a launch takes a waiting sandbox and the pool is filled again; a change drains it, and so does a size of 0", async () => {
    let profile = await platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...DEFAULT_PROFILE_SETTINGS, name: "Warm", warmPool: 2 });
    expect(await topUpWarmPools(deps)).toEqual({ started: 2, drained: 0 });
    const pool = await waiting(profile.id);
    expect(pool.map((sandbox) => [sandbox.status, sandbox.ownerId])).toEqual([
      ["ready", null],
      ["ready", null],
    ]);
    for (const sandbox of pool) expect((await provider.inspect(sandbox)).state).toBe("running");

    // A launch takes one: the person's now, named by their slot.
    const owner = platform.owner.owner.userId;
    const { sandbox, reused } = await ensureSandbox(deps, want(profile, owner));
    expect(reused).toBe(false);
    expect(pool.map((warm) => warm.id)).toContain(sandbox.id);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandbox.id))?.ownerId).toBe(owner);
    expect((await sandboxSlotStore(platform.store).get(platform.workspaceId, owner, profile.id))?.sandboxId).toBe(sandbox.id);
    expect(await waiting(profile.id)).toHaveLength(1);
    expect(await topUpWarmPools(deps)).toEqual({ started: 1, drained: 0 });

    // Two people launching at once never get the same sandbox.
    const other = await addSignedInMember(platform.store, platform.workspaceId, platform.owner.owner, `warm-${Date.now()}@example.com`, ["runs.start"]);
    const third = await addSignedInMember(platform.store, platform.workspaceId, platform.owner.owner, `warm2-${Date.now()}@example.com`, ["runs.start"]);
    const [a, b] = await Promise.all([ensureSandbox(deps, want(profile, other.userId)), ensureSandbox(deps, want(profile, third.userId))]);
    expect(a.sandbox.id).not.toBe(b.sandbox.id);
    expect(new Set([a.sandbox.ownerId, b.sandbox.ownerId])).toEqual(new Set([other.userId, third.userId]));

    // A new tag: what the pool made before is drained, and it is filled with the new.
    await topUpWarmPools(deps);
    const before = (await waiting(profile.id)).map((warm) => warm.id);
    profile = await update(profile, { tag: "next" });
    expect(await topUpWarmPools(deps)).toEqual({ started: 2, drained: 2 });
    const after = await waiting(profile.id);
    expect(after.map((warm) => warm.definition.tag)).toEqual(["next", "next"]);
    expect(after.some((warm) => before.includes(warm.id))).toBe(false);
    for (const id of before) expect((await sandboxStore(platform.store).get(platform.workspaceId, id))?.status).toBe("destroyed");

    // A pool of 0: drained; the sandboxes people took are theirs and stay.
    await update(profile, { warmPool: 0 });
    expect(await topUpWarmPools(deps)).toEqual({ started: 0, drained: 2 });
    expect(await waiting(profile.id)).toEqual([]);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandbox.id))?.status).toBe("ready");
  }, 120_000);

  it("is for managed compute only: a Docker profile with one is refused on its field", async () => {
    await expect(
      platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...DEFAULT_PROFILE_SETTINGS, name: "Warm docker", hostChoice: { kind: "default-docker" }, warmPool: 1 }),
    ).rejects.toMatchObject({ message: expect.stringContaining("Warm sandboxes are kept on managed compute") });
  });
});
