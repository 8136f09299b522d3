/**
 * Agent events through the whole pipeline — sidecar process → hub → event handler → store (a
 * transactional batch per sidecar batch) → bus → the SSE route over HTTP → a watching reader —
 * for one chatty run and for ten chatty runs at once, each run in a sandbox of its own:
 *  - events stored per second (counted on the bus as each is stored) and events received by the
 *    runs' watchers per second, in aggregate;
 *  - how busy the platform's thread was meanwhile (sidecars and agents are processes of their
 *    own; the watchers read in a worker thread);
 *  - the same store writes done as bare `@azure/cosmos` creates, one after another in a loop, and
 *    the pipeline's rate as a ratio of it.
 * The agent is the `command` agent: a Node script printing one JSON line per event, as many as a
 * chatty agent would, paced to a target rate (each line is one `agent` run event). The sidecar is
 * the bundled program every sandbox runs, started here as a plain process: this measures the
 * pipeline, not the boundary (runs.bench.ts measures that).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { CONTAINERS, newId, SIDECAR_COMMANDS, SIDECAR_ENV, SIDECAR_TOKEN_MINUTES, sandboxUserId, type TRunEvent } from "@/prisma-free-schema";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { BUNDLED_SIDECAR } from "../server/providers/managed/sidecar-command";
import { getRunEventBus } from "../server/services/events/run-event-bus";
import { sandboxStore } from "../server/store/sandbox-store";
import { eventually } from "../server/testing/eventually";
import { createTestRun } from "../server/testing/runs-fixtures";
import { emit } from "./measure";

const BENCH = "pipeline";
/** Events each scenario's agents print in all, and the rate they aim for together. */
const SCENARIOS = [
  { label: "1_run", runs: 1, events: 100_000, targetPerSecond: 50_000 },
  { label: "10_runs", runs: 10, events: 100_000, targetPerSecond: 50_000 },
] as const;
const BARE_CREATES = 5_000;
const TURN_TIMEOUT_MS = 120_000;

/** The agent: `total` JSON lines, `perTick` of them every 5 ms, then exit. */
function agentScript(total: number, perSecond: number): string {
  const perTick = Math.max(1, Math.round(perSecond / 200));
  return `'${process.execPath}' -e 'let i=0;const pad="x".repeat(60);const t=setInterval(()=>{let s="";for(let j=0;j<${perTick}&&i<${total};j++,i++)s+=JSON.stringify({type:"tick",i,pad})+"\\n";process.stdout.write(s);if(i>=${total})clearInterval(t)},5)'`;
}

// Plain JavaScript for the watchers' worker: one SSE stream per run, counting frames, never parsing more than needed.
const WATCHERS = String.raw`
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
parentPort.on("message", ({ urls, bearer }) => {
  const counts = urls.map(() => 0);
  let ended = 0, first = Infinity, last = 0;
  urls.forEach((url, index) => {
    let tail = "";
    http.get(url, { agent, headers: { authorization: "Bearer " + bearer } }, (response) => {
      response.setEncoding("utf8");
      response.on("data", (text) => {
        const now = Date.now();
        const chunk = tail + text;
        let at = 0, found;
        while ((found = chunk.indexOf("event: run-event\n", at)) >= 0) {
          counts[index] += 1;
          at = found + 17;
        }
        if (at > 0) { first = Math.min(first, now); last = now; }
        if (chunk.includes('"kind":"turn.ended"')) {
          ended += 1;
          parentPort.postMessage({ type: "ended", counts, first, last, ended });
          response.destroy();
        }
        tail = chunk.slice(Math.max(at, chunk.length - 40));
      });
      response.on("error", () => undefined);
    }).on("error", (error) => parentPort.postMessage({ type: "error", message: String(error) }));
  });
});
`;

function sidecarProcess(root: string, sandboxId: string, accessUrl: string, agentCommand: string): ChildProcess {
  const dir = path.join(root, sandboxId);
  fs.mkdirSync(path.join(dir, "workspace"), { recursive: true });
  fs.writeFileSync(path.join(dir, "access-url"), accessUrl, { mode: 0o600 });
  return spawn(process.execPath, [path.resolve(BUNDLED_SIDECAR)], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      [SIDECAR_ENV.sandboxId]: sandboxId,
      [SIDECAR_ENV.accessUrlFile]: path.join(dir, "access-url"),
      [SIDECAR_ENV.workspaceDir]: path.join(dir, "workspace"),
      [SIDECAR_ENV.eventLog]: path.join(dir, "events.jsonl"),
      [SIDECAR_ENV.agent]: "command",
      [SIDECAR_ENV.agentCommand]: agentCommand,
      DISCOPARROT_LOG_LEVEL: process.env.DISCOPARROT_LOG_LEVEL ?? "warn",
    },
    // The sidecar logs to stdout; its warnings and errors are worth seeing here.
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export async function run(): Promise<void> {
  if (!fs.existsSync(BUNDLED_SIDECAR)) execFileSync(process.execPath, [path.join("scripts", "build-bundles.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
  // The embedded store on a thread of its own, as the platform runs it; no copies of hub events kept for tests.
  const platform = await startPlatformHarness({ embeddedThread: "own", captureHubEvents: false });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-pipeline-"));
  const children: ChildProcess[] = [];
  const owner = platform.owner.owner;
  const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "pipeline watcher", scopes: ["hosts.read"], expiresInDays: 1 });

  const storedPerSecond: Record<string, number> = {};
  try {
    for (const scenario of SCENARIOS) {
      // A sandbox per run, its sidecar started and connected (the sandbox turns ready on connect).
      const runs: string[] = [];
      const sandboxes: string[] = [];
      for (let i = 0; i < scenario.runs; i += 1) {
        const sandboxId = newId("sbx");
        const now = new Date().toISOString();
        await sandboxStore(platform.store).create({
          id: sandboxId, type: "sandbox", workspaceId: platform.workspaceId, ownerId: owner.userId, status: "starting", failure: null,
          definition: { profileId: newId("prof"), template: "shell", provider: "managed", hostId: null, image: "discoparrot/sandbox", tag: "latest", resourceClass: "small", workloadIdentityClientId: null, persistentWorkspace: false, agent: "command" },
          tokenExpiresAt: null, meteredUntil: null, createdAt: now, readyAt: null, destroyedAt: null,
        });
        const url = await platform.channel.platform.clientAccessUrl(sandboxUserId(sandboxId), SIDECAR_TOKEN_MINUTES);
        children.push(sidecarProcess(root, sandboxId, url, agentScript(scenario.events / scenario.runs, scenario.targetPerSecond / scenario.runs)));
        runs.push((await createTestRun(platform.store, platform.workspaceId, owner, { sandboxId }, "chatter")).id);
        sandboxes.push(sandboxId);
      }
      for (const sandboxId of sandboxes) {
        await eventually(async () => (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))?.status, (status) => status === "ready", 30_000);
      }

      // One watcher per run, in a worker thread.
      const watchers = new Worker(WATCHERS, { eval: true });
      const watched = new Promise<{ counts: number[]; first: number; last: number }>((resolve, reject) => {
        watchers.on("message", (message: { type: string; counts: number[]; first: number; last: number; ended: number; message?: string }) => {
          if (message.type === "error") reject(new Error(message.message));
          if (message.type === "ended" && message.ended === scenario.runs) resolve(message);
        });
      });
      watchers.postMessage({ urls: runs.map((runId) => `${platform.platformUrl}/api/runs/${runId}/events`), bearer });
      await new Promise((resolve) => setTimeout(resolve, 300));

      // Stored events, counted as the store takes them.
      let stored = 0;
      let firstStored = Infinity;
      let lastStored = 0;
      const unsubscribes = runs.map((runId) =>
        getRunEventBus().subscribe(runId, (event: TRunEvent) => {
          if (event.kind !== "agent") return;
          stored += 1;
          firstStored = Math.min(firstStored, performance.now());
          lastStored = performance.now();
        }),
      );
      const busy = performance.eventLoopUtilization();
      await Promise.all(
        runs.map((runId, i) => platform.channel.platform.send(sandboxUserId(sandboxes[i]!), SIDECAR_COMMANDS.turnStart, { runId, turn: 1, input: "chatter", conversation: [], afterSeq: 0 }, { timeoutMs: 30_000 })),
      );
      const seen = await Promise.race([watched, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${scenario.label}: the watchers did not see every turn end`)), TURN_TIMEOUT_MS))]);
      const utilization = performance.eventLoopUtilization(busy).utilization;
      for (const unsubscribe of unsubscribes) unsubscribe();
      await watchers.terminate();

      const received = seen.counts.reduce((sum, n) => sum + n, 0);
      emit({ bench: BENCH, metric: `${scenario.label}_events_stored_per_s`, value: (stored - 1) / ((lastStored - firstStored) / 1000), unit: "ops/s" });
      emit({ bench: BENCH, metric: `${scenario.label}_events_received_by_watchers_per_s`, value: received / ((seen.last - seen.first) / 1000), unit: "ops/s" });
      emit({ bench: BENCH, metric: `${scenario.label}_platform_thread_busy`, value: utilization, unit: "ratio" });
      if (stored !== scenario.events) process.stderr.write(`pipeline bench: ${scenario.label}: ${stored} of ${scenario.events} agent events stored\n`);
      storedPerSecond[scenario.label] = (stored - 1) / ((lastStored - firstStored) / 1000);

      for (const child of children.splice(0)) child.kill("SIGKILL");
    }

    // The same writes as bare creates: one event document at a time, through the same client and store.
    const container = await platform.store.container(CONTAINERS.runEvents);
    const runId = newId("run");
    const at = new Date().toISOString();
    const started = performance.now();
    for (let seq = 1; seq <= BARE_CREATES; seq += 1) {
      await container.items.create({ id: String(seq).padStart(10, "0"), runId, seq, turn: 1, at, kind: "agent", payload: { type: "tick", i: seq, pad: "x".repeat(60) } });
    }
    const bare = BARE_CREATES / ((performance.now() - started) / 1000);
    emit({ bench: BENCH, metric: "bare_cosmos_creates_per_s", value: bare, unit: "ops/s" });
    for (const [label, rate] of Object.entries(storedPerSecond)) emit({ bench: BENCH, metric: `${label}_stored_vs_bare_creates`, value: rate / bare, unit: "ratio" });
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await platform.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
