/**
 * A platform that stops itself on SIGTERM as `npm start` does (graceful-stop.test.ts): the
 * platform harness, one run with a few events, an API token to watch it with, and the schedule
 * holding a job's lease. Says where to find them on one JSON line, then waits for the signal.
 */
import { startPlatformHarness } from "./channel/testing/platform-harness";
import { installGracefulStop } from "./graceful-stop";
import { Schedule } from "./scheduler/schedule";
import { appendRunEvents } from "./services/events/append-run-events";
import { createTestRun, outputEvents } from "./testing/runs-fixtures";

process.env.NEXT_MANUAL_SIG_HANDLE = "true";

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const platform = await startPlatformHarness({ dataDir });
  const run = await createTestRun(platform.store, platform.workspaceId, platform.owner.owner);
  await appendRunEvents({ store: platform.store, workspaceId: platform.workspaceId, runId: run.id, events: outputEvents(run.id, 1, 3) });
  const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "watcher", scopes: ["hosts.read"], expiresInDays: 1 });
  const schedule = new Schedule(platform.store);
  schedule.add({ name: "held-at-stop", everyMs: 50, run: async () => undefined });
  schedule.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  installGracefulStop(schedule);
  process.stdout.write(`${JSON.stringify({ url: `${platform.platformUrl}/api/runs/${run.id}/events`, bearer, holds: schedule.holds("held-at-stop") })}\n`);
}

void main();
