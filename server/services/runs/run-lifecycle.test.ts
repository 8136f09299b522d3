import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, sandboxUserId, SIDECAR_TOKEN_MINUTES, type TRun, type TRunEvent } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import type { PlatformHarness } from "../../channel/testing/platform-harness";
import { startManagedPlatform } from "../../testing/managed-platform";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { OperatorHostProvider } from "../../providers/operator-host/operator-host-provider";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { eventually } from "../../testing/eventually";
import { listRunEvents } from "../events/list-run-events";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { ensureSandbox } from "../sandboxes/ensure-sandbox";
import { reapDeadSandboxes } from "../sandboxes/reap-dead-sandboxes";
import { sandboxDefinitionOf } from "../sandboxes/sandbox-definition";
import { resolveProfile } from "../resolver/resolve-profile";
import { reconnectSandboxes } from "../sandboxes/reconnect-sandboxes";
import { tendSandboxes } from "../sandboxes/tend-sandboxes";
import { usageStore } from "../../store/usage-store";
import { sandboxSlotStore } from "../../store/sandbox-slot-store";
import { useSettings } from "../../testing/settings";
import { testSandbox } from "../../testing/sandbox-fixtures";
import { addSignedInMember, callerAs } from "../../testing/test-store";
import { cancelTurn } from "./cancel-turn";
import { endRun } from "./end-run";
import { sendTurn } from "./send-turn";
import { startRun } from "./start-run";

/**
 * Runs on managed compute's embedded backend, end to end: real sidecar processes with the shell
 * agent, the embedded hub, the event handler, the store. What a person would notice: lines
 * arrive, turns end with the right outcome, the sandbox is reused or recreated as the profile
 * says, cancel stops the process, and a sidecar that crashes mid-turn loses nothing.
 */
let managed: Awaited<ReturnType<typeof startManagedPlatform>>;
let platform: PlatformHarness;
let deps: SandboxDeps;
let provider: LocalProcessProvider;
let root: string;

beforeAll(async () => {
  managed = await startManagedPlatform("dp-sandboxes-");
  ({ platform, deps, provider, root } = managed);
}, 60_000);
afterAll(() => managed.stop(), 60_000);

async function access() {
  return resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
}
async function defaultProfileId() {
  const { items } = await profileStore(platform.store).list(platform.workspaceId, { limit: 10 });
  return items.find((profile) => profile.name === "Default")!.id;
}
/** The owner's sandbox as the Default profile makes it, under a profile id of its own, so no earlier test's sandbox is there to reuse. */
async function wantOfFreshProfile() {
  const { workspace, member } = await access();
  const profile = (await profileStore(platform.store).get(platform.workspaceId, await defaultProfileId()))!;
  const resolution = await resolveProfile({ store: platform.store, workspace, member, profile });
  if (!resolution.ok) throw new Error(resolution.message);
  const definition = { ...sandboxDefinitionOf(profile, resolution), profileId: newId("prof") };
  return { workspaceId: platform.workspaceId, ownerId: platform.owner.owner.userId, definition };
}
const readRun = async (runId: string) => (await runStore(platform.store).get(platform.workspaceId, runId))!;
const idle = (run: TRun | undefined) => run?.status === "idle";
const events = (runId: string) => listRunEvents({ store: platform.store, runId, afterSeq: 0, limit: 500 });
const outputOf = (all: TRunEvent[], turn: number) =>
  all
    .filter((event) => event.turn === turn && event.kind === "output")
    .map((event) => (event.kind === "output" ? event.text : ""))
    .join("");
const expectContiguous = (all: TRunEvent[]) => expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index + 1));

describe("a run on managed compute", () => {
  it("streams a shell turn line by line, takes a second turn in the same sandbox, and recreates the sandbox when the image tag changes", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "for i in 1 2 3; do echo step $i; sleep 0.2; done" });
    expect(run.status).toBe("running");
    // The list's snippet is written with the run, before its sandbox is even ready.
    expect(run.firstInput).toBe("for i in 1 2 3; do echo step $i; sleep 0.2; done");
    await started;
    const first = await eventually(() => readRun(run.id), idle, 20_000);
    expect(first.lastTurn).toMatchObject({ turn: 1, outcome: "succeeded" });
    const afterFirst = await events(run.id);
    expect(outputOf(afterFirst, 1)).toBe("step 1\nstep 2\nstep 3\n");
    expect(afterFirst.filter((event) => event.kind === "output").length).toBeGreaterThanOrEqual(3);
    expect(afterFirst.at(-1)).toMatchObject({ kind: "turn.ended", outcome: "succeeded" });

    const second = await sendTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id, input: "echo again > again.txt; cat again.txt" });
    await second.started;
    const afterSecond = await eventually(() => readRun(run.id), idle, 20_000);
    expect(afterSecond.failure).toBeNull();
    expect(afterSecond.sandboxId).toBe(first.sandboxId);
    expect(afterSecond.firstInput).toBe(run.firstInput);
    expect(outputOf(await events(run.id), 2)).toBe("again\n");
    expect((await events(run.id)).some((event) => event.kind === "file.changed" && event.path === "again.txt")).toBe(true);

    // The profile changes: the next turn gets a new sandbox, the old one is gone, the sequence goes on.
    const profiles = profileStore(platform.store);
    const { etag, ...profile } = (await profiles.get(platform.workspaceId, first.profileId))!;
    await profiles.replace({ ...profile, tag: "next", updatedAt: new Date().toISOString() }, etag);
    const third = await sendTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id, input: "echo fresh" });
    await third.started;
    const afterThird = await eventually(() => readRun(run.id), idle, 20_000);
    expect(afterThird.failure).toBeNull();
    expect(afterThird.sandboxId).not.toBe(first.sandboxId);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, first.sandboxId!))?.status).toBe("destroyed");
    expect(fs.existsSync(path.join(root, first.sandboxId!))).toBe(false);
    const all = await events(run.id);
    expectContiguous(all);
    expect(outputOf(all, 3)).toBe("fresh\n");
  }, 90_000);

  it("cancel stops the turn's process and the turn ends as cancelled", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "echo started; sleep 30 & wait" });
    await started;
    await eventually(() => events(run.id), (all) => all.some((event) => event.kind === "output"), 15_000);
    await cancelTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id });
    const ended = await eventually(() => readRun(run.id), idle, 15_000);
    expect(ended.lastTurn?.outcome).toBe("cancelled");
    expect((await events(run.id)).at(-1)).toMatchObject({ kind: "turn.ended", outcome: "cancelled" });
  }, 60_000);

  it("a sidecar killed mid-turn and started again replays from its log: no gap, no duplicate", async () => {
    const { run, started } = await startRun(deps, {
      actor: platform.owner.owner,
      access: await access(),
      profileId: await defaultProfileId(),
      input: "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done",
    });
    await started;
    const before = await eventually(() => events(run.id), (all) => all.filter((event) => event.kind === "output").length >= 2, 15_000);
    expect(before.length).toBeGreaterThan(0);
    const sandbox = (await sandboxStore(platform.store).get(platform.workspaceId, (await readRun(run.id)).sandboxId!))!;
    const box = JSON.parse(fs.readFileSync(path.join(root, sandbox.id, "box.json"), "utf8")) as { pid: number };
    process.kill(box.pid, "SIGKILL"); // the whole sandbox dies with its namespace; what it logged stays in its folder
    await eventually(async () => (await provider.inspect(sandbox)).state, (state) => state === "stopped", 5_000);

    const { etag: _etag, ...current } = sandbox;
    const url = await platform.channel.platform.clientAccessUrl(sandboxUserId(sandbox.id), SIDECAR_TOKEN_MINUTES);
    await provider.create(current, url);
    const ended = await eventually(() => readRun(run.id), idle, 20_000);
    // The turn the crash interrupted is ended by the sidecar that came back, from its log.
    expect(ended.lastTurn?.outcome).toBe("failed");
    const all = await events(run.id);
    expectContiguous(all);
    expect(all.filter((event) => event.kind === "turn.ended")).toHaveLength(1);
  }, 60_000);

  it("ends a turn as failed within seconds when its sidecar is killed, saying why, and leaves no process of the sandbox", async () => {
    const { run, started } = await startRun(deps, {
      actor: platform.owner.owner,
      access: await access(),
      profileId: await defaultProfileId(),
      // The agent starts a process that detaches and would outlive the turn.
      input: "(sleep 120 &) ; for i in 1 2 3 4 5 6 7 8 9 10; do echo tick $i; sleep 1; done",
    });
    await started;
    await eventually(() => events(run.id), (all) => all.some((event) => event.kind === "output"), 15_000);
    // Its sidecar took the turn: the start is no longer this process's to finish.
    expect((await readRun(run.id)).turnStart).toMatchObject({ phase: "acknowledged", until: null });
    const sandbox = (await sandboxStore(platform.store).get(platform.workspaceId, (await readRun(run.id)).sandboxId!))!;
    const box = JSON.parse(fs.readFileSync(path.join(root, sandbox.id, "box.json"), "utf8")) as { pid: number; pidNamespace: number };
    // The sidecar is the first process the boundary's init started; killed, nothing tells the platform but its absence.
    const [sidecar] = fs.readFileSync(`/proc/${box.pid}/task/${box.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
    process.kill(sidecar!, "SIGKILL");
    const killedAt = Date.now();

    // The schedule's liveness pass, as a running platform makes it every 3 s.
    let ended = await readRun(run.id);
    while (!idle(ended) && Date.now() - killedAt < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await reapDeadSandboxes(deps);
      ended = await readRun(run.id);
    }
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(ended.lastTurn?.outcome).toBe("failed");
    expect(ended.failure).toMatch(/The sandbox stopped during the turn/);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandbox.id))?.status).toBe("destroyed");
    // Nothing of it runs: no process is left in its PID namespace, the detached sleep included
    // (killed with the namespace's first process; the kernel takes a moment to reap them).
    const inNamespace = async () =>
      fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return fs.readlinkSync(`/proc/${pid}/ns/pid`) === `pid:[${box.pidNamespace}]`;
          } catch {
            return false;
          }
        });
    expect(await eventually(inNamespace, (pids) => pids.length === 0, 3_000)).toEqual([]);
    // A second pass finds nothing more to do.
    expect(await reapDeadSandboxes(deps)).toBe(0);
  }, 60_000);

  it("makes one sandbox for two launches at the same moment for one person and profile", async () => {
    const want = await wantOfFreshProfile();
    const { definition } = want;
    const [first, second, third] = await Promise.all([ensureSandbox(deps, want), ensureSandbox(deps, want), ensureSandbox(deps, want)]);
    expect(new Set([first.sandbox.id, second.sandbox.id, third.sandbox.id]).size).toBe(1);
    expect([first, second, third].filter((launch) => !launch.reused)).toHaveLength(1);
    const made = (await sandboxStore(platform.store).listLive()).filter((sandbox) => sandbox.definition.profileId === definition.profileId);
    expect(made.map((sandbox) => sandbox.id)).toEqual([first.sandbox.id]);
    expect((await provider.list()).filter((id) => id === first.sandbox.id)).toHaveLength(1);
    // And the next launch reuses it.
    expect(await ensureSandbox(deps, want)).toMatchObject({ reused: true, sandbox: { id: first.sandbox.id } });
  }, 60_000);

  it("ends a run for good: its running turn is cancelled, its sandbox destroyed, the end audited; only its starter may end it", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "sleep 30" });
    await started;
    const sandboxId = (await readRun(run.id)).sandboxId!;
    const sandbox = (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))!;
    // Another member may watch the run, not end it.
    const watcher = await addSignedInMember(platform.store, platform.workspaceId, platform.owner.owner, `wren-${newId("x").slice(2)}@end.example`, ["runs.start"]);
    await expect(callerAs(platform.store, watcher).runs.end({ workspaceId: platform.workspaceId, runId: run.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Through the service with this test's provider (the router's is the process's own, under DATA_DIR).
    const ended = await endRun(deps, { actor: platform.owner.owner, access: await access(), runId: run.id });
    expect(ended).toMatchObject({ status: "ended", lastTurn: { turn: 1, outcome: "cancelled" } });
    expect((await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status).toBe("destroyed");
    expect((await provider.inspect(sandbox)).state).toBe("missing");
    const audit = await platform.owner.ownerCaller.audit.list({ workspaceId: platform.workspaceId, eventType: "run.ended", limit: 10 });
    expect(audit.items.map((row) => row.target.id)).toContain(run.id);
    // Ended is ended: no more turns, and ending again changes nothing.
    await expect(platform.owner.ownerCaller.runs.sendTurn({ workspaceId: platform.workspaceId, runId: run.id, input: "echo again" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await platform.owner.ownerCaller.runs.end({ workspaceId: platform.workspaceId, runId: run.id })).toMatchObject({ status: "ended" });
    expect((await platform.owner.ownerCaller.audit.list({ workspaceId: platform.workspaceId, eventType: "run.ended", limit: 10 })).items.filter((row) => row.target.id === run.id)).toHaveLength(1);
  }, 60_000);

  it("lets the person's slot go when a launch is refused before its sandbox is made, so the next launch does not wait for it", async () => {
    const want = await wantOfFreshProfile();
    const { definition } = want;
    // Another sandbox runs, and the workspace's cap is what runs now: the launch claims the slot, then its sandbox is refused.
    await ensureSandbox(deps, { ...want, definition: { ...definition, profileId: newId("prof") } });
    const running = (await sandboxStore(platform.store).listLive()).filter((sandbox) => sandbox.workspaceId === platform.workspaceId).length;
    const restore = useSettings({ MAX_RUNNING_SANDBOXES_PER_WORKSPACE: String(running) });
    try {
      await expect(ensureSandbox(deps, want)).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    } finally {
      restore();
    }
    expect(await sandboxSlotStore(platform.store).get(platform.workspaceId, want.ownerId, definition.profileId)).toMatchObject({ sandboxId: null });
    // The next launch makes its sandbox at once rather than wait out a sandbox that never came.
    const startedAt = Date.now();
    const { sandbox, reused } = await ensureSandbox(deps, want);
    expect(reused).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(await sandboxSlotStore(platform.store).get(platform.workspaceId, want.ownerId, definition.profileId)).toMatchObject({ sandboxId: sandbox.id });
  }, 60_000);

  it("survives a platform restart: the hub comes back with a new key, running sandboxes get fresh URLs and take the next turn", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "echo before" });
    await started;
    const before = await eventually(() => readRun(run.id), idle, 20_000);

    await platform.restartHub();
    deps = { ...deps, channel: platform.channel.platform };
    const reconnected = await reconnectSandboxes(deps);
    expect(reconnected.lost).toBe(0);
    expect(reconnected.reconnected).toBeGreaterThanOrEqual(1);
    const next = await sendTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id, input: "echo after" });
    await next.started;
    const after = await eventually(() => readRun(run.id), idle, 20_000);
    expect(after.sandboxId).toBe(before.sandboxId);
    expect(after.lastTurn).toMatchObject({ turn: 2, outcome: "succeeded" });
    expect(outputOf(await events(run.id), 2)).toBe("after\n");
  }, 60_000);

  it("after a restart, a Docker host whose operator is away holds no managed sandbox back: its sandbox is left for the operator's return, never asked", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "echo managed" });
    await started;
    await eventually(() => readRun(run.id), idle, 20_000);
    // A sandbox on a Local Docker host whose operator is not connected (stopped while the platform was away).
    const { host } = await platform.hostWithKey(`away-${Date.now()}`);
    const onDocker = await sandboxStore(platform.store).create(
      testSandbox(platform.workspaceId, { ownerId: platform.owner.owner.userId, definition: { provider: "docker", hostId: host.id } }),
    );

    await platform.restartHub();
    deps = { ...deps, channel: platform.channel.platform, providers: { ...deps.providers, docker: new OperatorHostProvider(async () => platform.channel.platform) } };
    const reconnected = await reconnectSandboxes(deps);
    expect(reconnected.awaitingOperator).toBe(1);
    expect(reconnected.reconnected).toBeGreaterThanOrEqual(1);
    // Nothing was sent to the absent operator (no command waits on it), and its sandbox is as it was.
    expect(platform.channel.platform.waiting).toBe(0);
    expect((await sandboxStore(platform.store).get(platform.workspaceId, onDocker.id))?.status).toBe("ready");
    const next = await sendTurn(deps, { actor: platform.owner.owner, access: await access(), runId: run.id, input: "echo still here" });
    await next.started;
    expect((await eventually(() => readRun(run.id), (current) => idle(current) && current.lastTurn?.turn === 2, 20_000)).lastTurn?.outcome).toBe("succeeded");
  }, 60_000);

  it("pushes a fresh token to a sidecar whose token is about to lapse, and meters managed compute per day and profile", async () => {
    const { run, started } = await startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: await defaultProfileId(), input: "echo metered" });
    await started;
    const { sandboxId } = await eventually(() => readRun(run.id), idle, 20_000);
    const sandboxes = sandboxStore(platform.store);
    const soon = new Date(Date.now() + 60_000).toISOString();
    await sandboxes.update(platform.workspaceId, sandboxId!, (sandbox) => ({ ...sandbox, tokenExpiresAt: soon }));

    const later = new Date(Date.now() + 90_000);
    const { refreshed, meteredSeconds } = await tendSandboxes(deps, later);
    expect(refreshed).toBeGreaterThanOrEqual(1);
    expect(meteredSeconds).toBeGreaterThanOrEqual(89);
    const tended = (await sandboxes.get(platform.workspaceId, sandboxId!))!;
    expect(Date.parse(tended.tokenExpiresAt!)).toBeGreaterThan(Date.parse(soon));
    expect(tended.meteredUntil).toBe(later.toISOString());
    const rows = await usageStore(platform.store).since(platform.workspaceId, "2000-01-01");
    expect(rows.find((row) => row.profileId === tended.definition.profileId)?.seconds).toBeGreaterThanOrEqual(89);
    // Metering again up to the same moment adds nothing.
    expect((await tendSandboxes(deps, later)).meteredSeconds).toBe(0);
  }, 60_000);

  it("refuses a run whose profile cannot launch now, with the resolver's reason, and starts nothing", async () => {
    const { host } = await platform.hostWithKey("not-yet-connected");
    const profiles = profileStore(platform.store);
    const { etag, ...profile } = (await profiles.get(platform.workspaceId, await defaultProfileId()))!;
    await profiles.replace({ ...profile, hostChoice: { kind: "host", hostId: host.id }, updatedAt: new Date().toISOString() }, etag);
    const before = (await runStore(platform.store).list(platform.workspaceId, { limit: 100 })).items.length;
    await expect(startRun(deps, { actor: platform.owner.owner, access: await access(), profileId: profile.id, input: "echo no" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      options: { reason: "host_not_registered" },
    });
    expect((await runStore(platform.store).list(platform.workspaceId, { limit: 100 })).items.length).toBe(before);
  });
});
