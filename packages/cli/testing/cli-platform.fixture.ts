/**
 * The platform as the CLI meets it, as a process of its own so a test can kill it mid-stream and
 * start it again on the same data: the platform harness (store, hub, event handler) plus the
 * app's own `/api/trpc` route on a fixed port. Managed sandboxes run under a folder of their own and outlive it.
 *
 *   cli-platform.fixture.ts <dataDir> <port> <sandboxRoot> [--seed]
 *
 * Prints one JSON line per fact: {seeded: {token, workspaceId}} with --seed (an owner's token
 * with every scope, a Local Docker host "offline-docker" whose operator never connects, and a
 * profile "On offline-docker" on it, beside the workspace's "Default" on managed compute), then
 * {ready: url}.
 */
import { SCOPES } from "@/prisma-free-schema/vocabulary/scopes";
import { startPlatformHarness } from "@/server/channel/testing/platform-harness";
import { installGracefulStop } from "@/server/graceful-stop";
import { LocalProcessProvider } from "@/server/providers/managed/local-process-provider";
import { OperatorHostProvider } from "@/server/providers/operator-host/operator-host-provider";
import { platformJobs } from "@/server/scheduler/platform-jobs";
import { startProcessSchedule } from "@/server/scheduler/process-schedule";
import { reconnectSandboxes } from "@/server/services/sandboxes/reconnect-sandboxes";
import type { SandboxDeps } from "@/server/services/sandboxes/sandbox-deps";
import { profileSettings, registerHost } from "@/server/testing/hosts-fixtures";
import { serveApiRoutes } from "@/server/testing/route-server";
import { useStoreAsProcessStore } from "@/server/testing/settings";

const [dataDir, port, root, mode] = process.argv.slice(2);
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);

async function main(): Promise<void> {
  const platform = await startPlatformHarness({ dataDir, ownerEmail: "cli-owner@example.com" });
  const deps: SandboxDeps = {
    store: platform.store,
    channel: platform.channel.platform,
    providers: { managed: new LocalProcessProvider(root!), docker: new OperatorHostProvider(async () => platform.channel.platform) },
    readyTimeoutMs: 30_000,
  };
  // The routers launch through this process's deps (processSandboxDeps): these, sandboxes under `root`.
  (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.sandbox-deps")] = deps;
  installGracefulStop(startProcessSchedule(platform.store, platformJobs(deps)));
  await reconnectSandboxes(deps);

  if (mode === "--seed") {
    const { ownerCaller } = platform.owner;
    const workspaceId = platform.workspaceId;
    const { bearer } = await ownerCaller.apiTokens.create({ workspaceId, name: "cli tests", scopes: [...SCOPES], expiresInDays: 1 });
    const host = await registerHost(ownerCaller, workspaceId, { name: "offline-docker", kind: "docker" });
    await ownerCaller.profiles.create({ workspaceId, ...profileSettings({ name: "On offline-docker", hostChoice: { kind: "host", hostId: host.id } }) });
    say({ seeded: { token: bearer, workspaceId } });
  }

  // The app's own /api/trpc route, on this process's store: a token authenticates as it does there.
  useStoreAsProcessStore(platform.store);
  const api = await serveApiRoutes(Number(port));
  say({ ready: api.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
