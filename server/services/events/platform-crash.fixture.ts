/**
 * The platform as a process of its own, for platform-crash.test.ts to kill with SIGKILL: the
 * store on a data folder that outlives it, the hub, the event handler and the run event stream
 * on a fixed port, and managed sandboxes (detached, so they outlive it too) under a fixed folder.
 * Each start does what boot does for sandboxes: running ones get a fresh channel URL, reconnect,
 * and are asked for what they logged while the platform was away.
 *
 *   platform-crash.fixture.ts <dataDir> <port> <sandboxRoot> [runId | --start "<turn input>"]
 *
 * Prints one JSON line per fact: {ready}, {started: {runId, bearer}}, {stored: seq} for the first
 * event this process stores (the test kills it there: mid-replay).
 */
import { getRunEventBus } from "../../services/events/run-event-bus";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { startPlatformHarness } from "../../channel/testing/platform-harness";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { profileStore } from "../../store/profile-store";
import { reconnectSandboxes } from "../sandboxes/reconnect-sandboxes";
import type { SandboxDeps } from "../sandboxes/sandbox-deps";
import { startRun } from "../runs/start-run";

const [dataDir, port, root, mode, arg] = process.argv.slice(2);
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);

async function main(): Promise<void> {
  const platform = await startPlatformHarness({ dataDir, port: Number(port), ownerEmail: "crash-owner@example.com" });
  const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { managed: new LocalProcessProvider(root!) }, readyTimeoutMs: 30_000 };
  let runId = mode === "--start" ? undefined : mode;
  const watchFirstStored = (id: string) => {
    const stop = getRunEventBus().subscribe(id, (event) => {
      stop();
      say({ stored: event.seq });
    });
  };
  if (runId) watchFirstStored(runId);
  await reconnectSandboxes(deps);
  if (mode === "--start") {
    const actor = platform.owner.owner;
    const access = await resolveWorkspaceAccess(platform.store, actor, platform.workspaceId, "runs.start");
    const profile = (await profileStore(platform.store).list(platform.workspaceId, { limit: 10 })).items.find((candidate) => candidate.name === "Default")!;
    const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "crash watcher", scopes: ["hosts.read"], expiresInDays: 1 });
    const { run, started } = await startRun(deps, { actor, access, profileId: profile.id, input: arg! });
    runId = run.id;
    await started;
    say({ started: { runId, bearer } });
  }
  say({ ready: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
