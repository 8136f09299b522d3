/**
 * The platform as a process of its own, for platform-crash.test.ts to kill with SIGKILL: the
 * store on a data folder that outlives it, the hub, the event handler and the run event stream
 * on a fixed port, and managed sandboxes (detached, so they outlive it too) under a fixed folder.
 * Each start does what boot does for sandboxes: running ones get a fresh channel URL, reconnect,
 * and are asked for what they logged while the platform was away.
 *
 *   platform-crash.fixture.ts <dataDir> <port> <sandboxRoot> <runId>
 *   platform-crash.fixture.ts <dataDir> <port> <sandboxRoot> --start "<turn input>"          (managed)
 *   platform-crash.fixture.ts <dataDir> <port> <sandboxRoot> --start-docker "<turn input>"   (a Local Docker host)
 *
 * Prints one JSON line per fact: {dockerHost: {hostId, key}} (start its operator with these),
 * {created: {runId, bearer}} (runs.start has answered), {started: {runId, bearer}}, {ready},
 * {run: {status, lastTurn, failure}} whenever the run named on the command line changes, {stored: seq} for the first event this process stores
 * after starting again (the test kills it there: mid-replay).
 */
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { TEST_IMAGE } from "@/operators/docker/testing/podman-service";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { OperatorHostProvider } from "../../providers/operator-host/operator-host-provider";
import { eventually } from "../../testing/eventually";
import { profileSettings } from "../../testing/hosts-fixtures";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { reconnectSandboxes } from "../sandboxes/reconnect-sandboxes";
import { getRunEventBus } from "./run-event-bus";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { startRun } from "../runs/start-run";
import { installGracefulStop } from "../../graceful-stop";
import { platformJobs } from "../../scheduler/platform-jobs";
import { startProcessSchedule } from "../../scheduler/process-schedule";

const [dataDir, port, root, mode, arg] = process.argv.slice(2);
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);

async function main(): Promise<void> {
  // Benchmarks run the store and hub on threads of their own, as `npm start` does (DP_EMBEDDED_THREAD=own).
  const embeddedThread = process.env.DP_EMBEDDED_THREAD === "own" ? "own" : undefined;
  const platform = await startPlatformHarness({ dataDir, port: Number(port), ownerEmail: "crash-owner@example.com", embeddedThread, captureHubEvents: !embeddedThread });
  const deps: SandboxDeps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { managed: new LocalProcessProvider(root!), docker: new OperatorHostProvider(async () => platform.channel.platform) },
    readyTimeoutMs: 30_000,
  };
  // Every start of the platform runs its schedule, as boot does: stranded turn starts, dead sandboxes, idle ones.
  installGracefulStop(startProcessSchedule(platform.store, platformJobs(deps)));
  const starting = mode === "--start" || mode === "--start-docker";
  let runId = starting ? undefined : mode;
  const watchFirstStored = (id: string) => {
    const stop = getRunEventBus().subscribe(id, (event) => {
      stop();
      say({ stored: event.seq });
    });
  };
  if (runId) {
    watchFirstStored(runId);
    reportRun(platform, runId);
  }
  await reconnectSandboxes(deps);
  if (starting) {
    const actor = platform.owner.owner;
    const access = await resolveWorkspaceAccess(platform.store, actor, platform.workspaceId, "runs.start");
    const profile = mode === "--start-docker" ? await dockerHostProfile(platform) : (await profileStore(platform.store).list(platform.workspaceId, { limit: 10 })).items.find((candidate) => candidate.name === "Default")!;
    const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "crash watcher", scopes: ["hosts.read"], expiresInDays: 1 });
    const { run, started } = await startRun(deps, { actor, access, profileId: profile.id, input: arg! });
    runId = run.id;
    // The run is saved and the request would have returned: the launch goes on in the background.
    say({ created: { runId, bearer } });
    await started;
    say({ started: { runId, bearer } });
  }
  say({ ready: true });
}

/** Prints {run: {status, lastTurn, failure}} whenever the run changes, so a test can wait for it to settle. */
function reportRun(platform: PlatformHarness, id: string): void {
  let last = "";
  const timer = setInterval(() => {
    void runStore(platform.store)
      .findById(id)
      .then((run) => {
        const now = JSON.stringify({ status: run?.status, lastTurn: run?.lastTurn ?? null, failure: run?.failure ?? null });
        if (now !== last) say({ run: JSON.parse(now) as unknown });
        last = now;
      })
      .catch(() => undefined);
  }, 200);
  timer.unref();
}

/** A Local Docker host whose operator the test starts (with the printed key), and a profile on it once it is registered. */
async function dockerHostProfile(platform: PlatformHarness) {
  const { host, key } = await platform.hostWithKey("crash-docker");
  say({ dockerHost: { hostId: host.id, key } });
  await eventually(() => platform.host(host.id), (found) => found?.status === "registered", 30_000);
  return platform.owner.ownerCaller.profiles.create({
    workspaceId: platform.workspaceId,
    ...profileSettings({ name: "On crash-docker", hostChoice: { kind: "host", hostId: host.id }, image: TEST_IMAGE.image, tag: TEST_IMAGE.tag, resourceClass: "small" }),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
