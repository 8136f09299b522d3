import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, SIDECAR_COMMANDS, type TRun, type TRunEvent } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { NotConnectedError } from "../../channel/command-errors";
import type { PlatformChannel } from "../../channel/platform-channel";
import type { PlatformHarness } from "../../channel/testing/platform-harness";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { eventually } from "../../testing/eventually";
import { startManagedPlatform } from "../../testing/managed-platform";
import { listRunEvents } from "../events/list-run-events";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { startRun } from "./start-run";
import { MAX_DISPATCH_ATTEMPTS, turnStarts } from "./turn-start-reconciler";

/**
 * Turn starts as intent in the store, driven by each process's reconciler. A "process" here is a
 * deps object of its own (its own reconciler, its own holder name) over the one store, hub and
 * sandbox backend; one that "dies" is shut down. What a person would notice: a turn whose
 * platform process died at any point of its start still runs, once; one that cannot start ends
 * failed with the reason; one that may start if tried again is tried again, and says why it
 * finally did not.
 */
let managed: Awaited<ReturnType<typeof startManagedPlatform>>;
let platform: PlatformHarness;
let deps: SandboxDeps;

beforeAll(async () => {
  managed = await startManagedPlatform("dp-turn-starts-");
  ({ platform, deps } = managed);
}, 60_000);
afterAll(() => managed.stop(), 60_000);

/** Another platform process over the same store, hub and sandboxes: its own reconciler. */
const processOf = (overrides: Partial<SandboxDeps> = {}): SandboxDeps => ({ ...deps, ...overrides });
/** A process that takes the person's request and dies before its reconciler takes the start up. */
async function diedAfterQueueing(): Promise<SandboxDeps> {
  const dying = processOf();
  await turnStarts(dying).shutdown();
  return dying;
}

const access = () => resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
async function profileIdNamed(name: string) {
  const profiles = profileStore(platform.store);
  const { items } = await profiles.list(platform.workspaceId, { limit: 50 });
  const found = items.find((profile) => profile.name === name);
  if (found) return found.id;
  const { etag: _etag, ...base } = items.find((profile) => profile.name === "Default")!;
  const created = await profiles.create({ ...base, id: newId("prof"), name, nameKey: name.toLowerCase(), createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
  return created.id;
}
const readRun = async (runId: string) => (await runStore(platform.store).get(platform.workspaceId, runId))!;
const events = (runId: string) => listRunEvents({ store: platform.store, runId, afterSeq: 0, limit: 500 });
const settled = (run: TRun | undefined) => run?.status === "idle";
const outputOf = (all: TRunEvent[]) => all.map((event) => (event.kind === "output" ? event.text : "")).join("");

/** Makes the queued start due for anyone, as if the sender's grace had passed. */
async function pastSendersGrace(runId: string) {
  await runStore(platform.store).update(platform.workspaceId, runId, (run) => ({ ...run, turnStart: { ...run.turnStart!, until: new Date(Date.now() - 1).toISOString() } }));
}

describe("a turn's start, taken up by whichever process can", () => {
  it("runs a turn whose sender died before starting it: another process's resync takes it up, and it runs once", async () => {
    const { run } = await startRun(await diedAfterQueueing(), { actor: platform.owner.owner, access: await access(), profileId: await profileIdNamed("Default"), input: "echo picked up" });
    expect((await readRun(run.id)).turnStart).toMatchObject({ phase: "queued", attempts: 0 });

    // Within the sender's grace nobody else takes it (its input may not be saved yet).
    const other = processOf();
    expect(await turnStarts(other).resync()).toBe(0);
    await pastSendersGrace(run.id);
    expect(await turnStarts(other).resync()).toBe(1);
    const done = await eventually(() => readRun(run.id), settled, 30_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" }, turnStart: null });
    const all = await events(run.id);
    expect(outputOf(all)).toBe("picked up\n");
    expect(all.filter((event) => event.kind === "turn.started")).toHaveLength(1);
  }, 60_000);

  it("two processes resyncing the same start at once claim it once: one dispatch, one turn", async () => {
    const { run } = await startRun(await diedAfterQueueing(), { actor: platform.owner.owner, access: await access(), profileId: await profileIdNamed("Default"), input: "echo once" });
    await pastSendersGrace(run.id);
    const [a, b] = [turnStarts(processOf()), turnStarts(processOf())];
    await Promise.all([a.resync(), b.resync()]);
    const done = await eventually(() => readRun(run.id), settled, 30_000);
    expect(done.lastTurn?.outcome).toBe("succeeded");
    const all = await events(run.id);
    expect(all.filter((event) => event.kind === "turn.started")).toHaveLength(1);
    expect(outputOf(all)).toBe("once\n");
  }, 60_000);

  it("hands a turn over again after its dispatcher died before hearing back, and the sandbox does not run it twice", async () => {
    const { run, started } = await startRun(processOf(), { actor: platform.owner.owner, access: await access(), profileId: await profileIdNamed("Default"), input: "echo only once; sleep 2; echo end" });
    await started;
    await eventually(() => events(run.id), (all) => outputOf(all).includes("only once"), 20_000);
    // The process that handed it over died before the acknowledgement landed: the start is back to a lapsed lease.
    await runStore(platform.store).update(platform.workspaceId, run.id, (current) => ({
      ...current,
      turnStart: { phase: "dispatching", holder: "dispatch:dead", until: new Date(Date.now() - 1).toISOString(), attempts: 1, lastError: null },
    }));
    expect(await turnStarts(processOf()).resync()).toBe(1);
    await eventually(() => readRun(run.id), (current) => current.turnStart?.phase === "acknowledged" || settled(current), 20_000);
    const done = await eventually(() => readRun(run.id), settled, 20_000);
    expect(done).toMatchObject({ failure: null, lastTurn: { outcome: "succeeded" } });
    const all = await events(run.id);
    expect(all.filter((event) => event.kind === "turn.started")).toHaveLength(1);
    expect(outputOf(all)).toBe("only once\nend\n");
  }, 60_000);

  it("ends a turn that cannot start at once, with the reason, and does not try again", async () => {
    const profileId = await profileIdNamed("Soon deleted");
    const { run } = await startRun(await diedAfterQueueing(), { actor: platform.owner.owner, access: await access(), profileId, input: "echo never" });
    await profileStore(platform.store).delete(platform.workspaceId, profileId);
    await pastSendersGrace(run.id);
    await turnStarts(processOf()).resync();
    const failed = await eventually(() => readRun(run.id), settled, 10_000);
    expect(failed).toMatchObject({ lastTurn: { outcome: "failed" }, turnStart: null, failure: expect.stringMatching(/“Soon deleted” was deleted/) });
  }, 30_000);

  it("tries a start that may work later again with backoff, showing why meanwhile, and ends it failed with that reason after the last attempt", async () => {
    // The sidecar never takes the turn over this process's channel: handing it over fails as a sidecar away would.
    const unreachable = new Proxy(deps.channel, {
      get(target, property, receiver) {
        if (property === "send")
          return async (target: string, type: string, ...rest: unknown[]) => {
            if (type === SIDECAR_COMMANDS.turnStart) throw new NotConnectedError(type, target, 0);
            return (deps.channel.send as (...args: unknown[]) => Promise<unknown>).call(deps.channel, target, type, ...rest);
          };
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as PlatformChannel;
    const flaky = processOf({ channel: unreachable });
    const { run } = await startRun(flaky, { actor: platform.owner.owner, access: await access(), profileId: await profileIdNamed("Default"), input: "echo never handed over" });
    const retrying = await eventually(() => readRun(run.id), (current) => (current.turnStart?.attempts ?? 0) >= 2, 30_000);
    expect(retrying).toMatchObject({ status: "running", turnStart: { lastError: expect.stringMatching(/has not reconnected/) } });
    const failed = await eventually(() => readRun(run.id), settled, 40_000);
    expect(failed).toMatchObject({ lastTurn: { outcome: "failed" }, turnStart: null, failure: expect.stringMatching(/has not reconnected/) });
    expect((await events(run.id)).filter((event) => event.kind === "turn.started")).toHaveLength(0);
    expect(MAX_DISPATCH_ATTEMPTS).toBe(5);
  }, 90_000);
});
