/**
 * One of several platform processes sharing a store and a hub (shared-hub.test.ts): the harness
 * on the shared services named in SHARED_SERVICES (JSON, see SharedServices), managed sandboxes
 * under a folder all of them use, the platform's schedule, and SIGTERM handled as `npm start`
 * handles it.
 *
 *   shared-platform.fixture.ts <dataDir> <port> <sandboxRoot>
 *   shared-platform.fixture.ts <dataDir> <port> <sandboxRoot> --start "<turn input>"
 *
 * Prints one JSON line per fact: {address} (its reply address), {holder} (its schedule's, in job
 * leases), {started: {runId, bearer}}, {ready: true}.
 */
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { installGracefulStop } from "../../graceful-stop";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { OperatorHostProvider } from "../../providers/operator-host/operator-host-provider";
import { platformJobs } from "../../scheduler/platform-jobs";
import { startProcessSchedule } from "../../scheduler/process-schedule";
import { startRun } from "../../services/runs/start-run";
import type { SandboxDeps } from "../../services/sandboxes/sandbox-deps";
import { profileStore } from "../../store/profile-store";
import { type SharedServices, startPlatformHarness } from "./platform-harness";

process.env.NEXT_MANUAL_SIG_HANDLE = "true";
const [dataDir, port, root, mode, input] = process.argv.slice(2);
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);

async function main(): Promise<void> {
  const shared = JSON.parse(process.env.SHARED_SERVICES!) as SharedServices;
  const platform = await startPlatformHarness({ dataDir, port: Number(port), ownerEmail: "shared-owner@example.com", shared });
  // Connected among the others once the front door routes the hub's connect to one of them.
  await platform.channel.peers!.connected;
  say({ address: platform.channel.platform.address });
  const deps: SandboxDeps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { managed: new LocalProcessProvider(root!), docker: new OperatorHostProvider(async () => platform.channel.platform) },
    readyTimeoutMs: 30_000,
  };
  const schedule = startProcessSchedule(platform.store, platformJobs(deps));
  installGracefulStop(schedule);
  say({ holder: schedule.holder });
  if (mode === "--start") {
    const actor = platform.owner.owner;
    const access = await resolveWorkspaceAccess(platform.store, actor, platform.workspaceId, "runs.start");
    const profile = (await profileStore(platform.store).list(platform.workspaceId, { limit: 10 })).items.find((candidate) => candidate.name === "Default")!;
    const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "shared watcher", scopes: ["hosts.read"], expiresInDays: 1 });
    const { run, started } = await startRun(deps, { actor, access, profileId: profile.id, input: input! });
    await started;
    say({ started: { runId: run.id, bearer } });
  }
  say({ ready: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
