import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_SETTINGS, type TRun, type TRunEvent } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformHarness } from "../../channel/testing/platform-harness";
import { startManagedPlatform } from "../../testing/managed-platform";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { auditStore } from "../../store/audit-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { usageStore } from "../../store/usage-store";
import { eventually } from "../../testing/eventually";
import { listRunEvents } from "../events/list-run-events";
import { sendTurn } from "../runs/send-turn";
import { startRun } from "../runs/start-run";
import { applyIdlePolicy } from "./idle-sandboxes";
import type { SandboxDeps } from "./sandbox-deps";

/**
 * The idle policy on managed compute's embedded backend (real sidecars in their boundary): a
 * sandbox nobody uses is paused (its processes gone, its files kept, its meter stopped), the next
 * turn resumes it with its files, and one idle far longer is removed with its run ended, saying why.
 */
let managed: Awaited<ReturnType<typeof startManagedPlatform>>;
let platform: PlatformHarness;
let deps: SandboxDeps;
let provider: LocalProcessProvider;
let root: string;

beforeAll(async () => {
  managed = await startManagedPlatform("dp-idle-");
  ({ platform, deps, provider, root } = managed);
}, 60_000);
afterAll(() => managed.stop(), 60_000);

const access = () => resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
const readRun = async (runId: string) => (await runStore(platform.store).get(platform.workspaceId, runId))!;
const idle = (run: TRun | undefined) => run?.status === "idle";
const outputOf = (all: TRunEvent[], turn: number) =>
  all
    .filter((event) => event.turn === turn && event.kind === "output")
    .map((event) => (event.kind === "output" ? event.text : ""))
    .join("");

async function profileWithIdlePolicy(name: string, idle: { pauseAfterMinutes: number; endAfterHours: number }) {
  return platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...DEFAULT_PROFILE_SETTINGS, name, idle });
}

/** Seconds metered for the profile so far, on every day. */
async function meteredSeconds(profileId: string): Promise<number> {
  const rows = await usageStore(platform.store).since(platform.workspaceId, "2000-01-01");
  return rows.filter((row) => row.profileId === profileId).reduce((sum, row) => sum + row.seconds, 0);
}

describe("the idle policy", () => {
  it("pauses an idle managed sandbox (processes gone, files kept, meter stopped), and the next turn resumes it with its files", async () => {
    const profile = await profileWithIdlePolicy("Pauses soon", { pauseAfterMinutes: 0.25, endAfterHours: 24 });
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: profile.id, input: "echo kept > notes.txt; echo written" });
    await started;
    expect(idle(await eventually(() => readRun(run.id), idle, 20_000))).toBe(true);
    const sandboxId = (await readRun(run.id)).sandboxId!;

    // Not idle long enough yet: nothing happens.
    expect(await applyIdlePolicy(deps)).toEqual({ paused: 0, ended: 0 });
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("ready");

    const later = new Date(Date.now() + 20_000);
    expect(await applyIdlePolicy(deps, later)).toEqual({ paused: 1, ended: 0 });
    const paused = (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))!;
    expect(paused).toMatchObject({ status: "paused", pausedAt: later.toISOString(), meterPending: null });
    expect((await provider.inspect(paused)).state).not.toBe("running");
    expect((await readRun(run.id)).pausedAt).toBe(later.toISOString());
    // Metered up to the pause, and no further while paused.
    const atPause = await meteredSeconds(profile.id);
    expect(atPause).toBeGreaterThan(0);
    expect(await applyIdlePolicy(deps, new Date(later.getTime() + 60_000))).toEqual({ paused: 0, ended: 0 });
    expect(await meteredSeconds(profile.id)).toBe(atPause);

    // The next turn resumes the same sandbox, files and all.
    const second = await sendTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id, input: "cat notes.txt" });
    await second.started;
    const ended = await eventually(() => readRun(run.id), (current) => idle(current) && current.lastTurn?.turn === 2, 20_000);
    expect(ended).toMatchObject({ sandboxId, pausedAt: null, resumed: { ms: expect.any(Number) } });
    expect(outputOf(await listRunEvents({ store: platform.store, runId: run.id, afterSeq: 0, limit: 500 }), 2)).toBe("kept\n");
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("ready");
  }, 60_000);

  it("removes a sandbox idle past the end of its policy and ends its run, saying why, with an audit row", async () => {
    const profile = await profileWithIdlePolicy("Ends soon", { pauseAfterMinutes: 0.25, endAfterHours: 0.01 });
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: profile.id, input: "echo hello" });
    await started;
    await eventually(() => readRun(run.id), idle, 20_000);
    const sandboxId = (await readRun(run.id)).sandboxId!;
    // (The first test's sandbox, idle again by then, is paused by the same pass.)
    expect((await applyIdlePolicy(deps, new Date(Date.now() + 60_000))).ended).toBe(1);
    expect(await readRun(run.id)).toMatchObject({ status: "ended", endedReason: "Ended after 0.01 hours with nothing to do; its sandbox was removed." });
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("destroyed");
    expect(fs.existsSync(path.join(root, sandboxId))).toBe(false);
    const { items } = await auditStore(platform.store).list(platform.workspaceId, { eventType: "run.ended", limit: 10 });
    expect(items.find((row) => row.target.id === run.id)).toMatchObject({ actor: { kind: "system", label: "idle policy" } });
  }, 60_000);

  it("counts no paused second when a paused sandbox is later removed", async () => {
    const profile = await profileWithIdlePolicy("Pauses then ends", { pauseAfterMinutes: 0.25, endAfterHours: 0.02 });
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: profile.id, input: "echo hi" });
    await started;
    await eventually(() => readRun(run.id), idle, 20_000);
    const sandboxId = (await readRun(run.id)).sandboxId!;
    /** As if the sandbox and its run had last been busy `ms` ago, so the passes below run in the real now. */
    const lastBusy = async (ms: number) => {
      const at = new Date(Date.now() - ms).toISOString();
      await sandboxStore(platform.store).update(platform.workspaceId, sandboxId, (current) => ({ ...current, createdAt: at, readyAt: at, lastActiveAt: at }));
      await runStore(platform.store).update(platform.workspaceId, run.id, (current) => ({ ...current, createdAt: at, lastTurn: current.lastTurn && { ...current.lastTurn, endedAt: at } }));
    };
    await lastBusy(30_000);
    await applyIdlePolicy(deps);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("paused");
    const atPause = await meteredSeconds(profile.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Later the policy ends it: removed, and not one second it was paused is counted.
    await lastBusy(3_600_000);
    await applyIdlePolicy(deps);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("destroyed");
    expect((await readRun(run.id)).status).toBe("ended");
    expect(await meteredSeconds(profile.id)).toBe(atPause);
  }, 60_000);

  it("never pauses a sandbox while a turn runs in it", async () => {
    const profile = await profileWithIdlePolicy("Busy", { pauseAfterMinutes: 0.25, endAfterHours: 0.01 });
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: profile.id, input: "sleep 5; echo done" });
    await started;
    await applyIdlePolicy(deps, new Date(Date.now() + 3_600_000));
    expect((await readRun(run.id)).status).toBe("running");
    expect((await sandboxStore(platform.store).get(platform.workspaceId, (await readRun(run.id)).sandboxId!))?.status).toBe("ready");
  }, 60_000);
});
