/**
 * The idle policy's price, on managed compute's embedded backend with real sidecars: a turn on a
 * paused sandbox resumes it (`ensureSandbox` finds it paused and starts it again in its kept
 * folder: bubblewrap's boundary, the sidecar, its connect and health check), beside a cold launch
 * of a new sandbox, each measured to ready, in the same run; and a launch that takes a sandbox
 * from its profile's warm pool. Ratios of their p50s to the cold launch's.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { resolveWorkspaceAccess } from "../server/auth/workspace-access";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { LocalProcessProvider } from "../server/providers/managed/local-process-provider";
import { resolveProfile } from "../server/services/resolver/resolve-profile";
import { destroySandbox } from "../server/services/sandboxes/destroy-sandbox";
import { ensureSandbox } from "../server/services/sandboxes/ensure-sandbox";
import { applyIdlePolicy } from "../server/services/sandboxes/idle-sandboxes";
import { topUpWarmPools } from "../server/services/sandboxes/warm-pool";
import { DEFAULT_PROFILE_SETTINGS } from "@/prisma-free-schema";
import type { SandboxDeps } from "../server/services/sandboxes/sandbox-deps";
import { sandboxDefinitionOf } from "../server/services/sandboxes/sandbox-definition";
import { profileStore } from "../server/store/profile-store";
import { sandboxStore } from "../server/store/sandbox-store";
import { AS_DEPLOYED, emit, emitLatency } from "./measure";

const BENCH = "resume";
const WARMUP = 2;
const SAMPLES = 15;

export async function run(): Promise<void> {
  execFileSync(process.execPath, [path.join("scripts", "build-bundles.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-resume-"));
  const provider = new LocalProcessProvider(root);
  const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { managed: provider }, readyTimeoutMs: 30_000 };
  try {
    const { workspace, member } = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const profile = (await profileStore(platform.store).list(platform.workspaceId, { limit: 10 })).items.find((candidate) => candidate.name === "Default")!;
    const resolution = await resolveProfile({ store: platform.store, workspace, member, profile });
    if (!resolution.ok) throw new Error(`the Default profile does not resolve: ${resolution.message}`);
    const want = { workspaceId: platform.workspaceId, ownerId: platform.owner.owner.userId, definition: sandboxDefinitionOf(profile, resolution) };

    const cold = async () => {
      const started = performance.now();
      const { sandbox, reused } = await ensureSandbox(deps, want);
      const ms = performance.now() - started;
      if (reused) throw new Error("a cold launch reused a sandbox");
      await destroySandbox(deps, sandbox, "benchmark: the next launch needs a new one");
      return ms;
    };
    const resume = async () => {
      // Paused by the policy's own pass, as if the profile's idle minutes had passed (untimed).
      const { paused } = await applyIdlePolicy(deps, new Date(Date.now() + 3_600_000));
      if (paused !== 1) throw new Error(`the pass paused ${paused} sandboxes, not the one`);
      const started = performance.now();
      const { reused } = await ensureSandbox(deps, want);
      const ms = performance.now() - started;
      if (!reused) throw new Error("a resume made a new sandbox");
      return ms;
    };
    const times = async (count: number, once: () => Promise<number>) => {
      const all: number[] = [];
      for (let i = 0; i < count; i += 1) all.push(await once());
      return all.sort((a, b) => a - b);
    };
    await times(WARMUP, cold);
    const coldP50 = emitLatency(BENCH, "cold_launch_to_ready", await times(SAMPLES, cold));
    await ensureSandbox(deps, want);
    await times(WARMUP, resume);
    const resumeP50 = emitLatency(BENCH, "resume_paused_to_ready", await times(SAMPLES, resume));
    emit({ bench: BENCH, metric: "resume_vs_cold_launch_p50", value: resumeP50 / coldP50, unit: "ratio" });

    // A launch that takes a sandbox from its profile's warm pool (filled by the pool's own pass, untimed).
    const warmProfile = await platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...DEFAULT_PROFILE_SETTINGS, name: "Warm", warmPool: 1 });
    const warmWant = { ...want, definition: { ...want.definition, profileId: warmProfile.id } };
    const fromPool = async () => {
      await topUpWarmPools(deps);
      const pool = (await sandboxStore(platform.store).warm()).map((warm) => warm.id);
      const started = performance.now();
      const { sandbox } = await ensureSandbox(deps, warmWant);
      const ms = performance.now() - started;
      if (!pool.includes(sandbox.id)) throw new Error("the launch did not take a warm sandbox");
      await destroySandbox(deps, sandbox, "benchmark: the next launch takes another warm one");
      return ms;
    };
    await times(WARMUP, fromPool);
    const warmP50 = emitLatency(BENCH, "warm_pool_claim_to_ready", await times(SAMPLES, fromPool));
    emit({ bench: BENCH, metric: "warm_pool_vs_cold_launch_p50", value: warmP50 / coldP50, unit: "ratio" });
  } finally {
    for (const { etag: _etag, ...sandbox } of await sandboxStore(platform.store).listLive()) await provider.destroy(sandbox).catch(() => undefined);
    await platform.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
