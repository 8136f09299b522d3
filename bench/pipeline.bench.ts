/**
 * Agent events through the whole pipeline — sidecar process → hub → event handler → store (one
 * transactional batch per sidecar batch) → bus → the SSE route over HTTP → a watching reader —
 * for one chatty run and for ten chatty runs at once, each run in a sandbox of its own:
 *  - events stored per second (counted on the bus as each is stored) and events received by the
 *    runs' watchers per second, in aggregate;
 *  - how busy the platform's thread was meanwhile (sidecars and agents are processes of their
 *    own; the watchers read in a worker thread);
 *  - what the store did before runs stored ranges: one bare `@azure/cosmos` create per event, one
 *    after another in a loop, and the pipeline's rate (ranges, one document per sidecar batch) as
 *    a ratio of it.
 * The runs are chatty-runs.ts's: sidecars as plain processes, so this measures the pipeline, not
 * the boundary (runs.bench.ts measures that). The platform runs as deployed (AS_DEPLOYED): the
 * embedded store and hub on threads of their own.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { CONTAINERS, newId, type TRunEvent } from "@/prisma-free-schema";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { getRunEventBus } from "../server/services/events/run-event-bus";
import { chattyRuns } from "./chatty-runs";
import { AS_DEPLOYED, emit } from "./measure";

const BENCH = "pipeline";
/** Events each scenario's agents print in all, and the rate they aim for together. */
const SCENARIOS = [
  { label: "1_run", runs: 1, events: 100_000, targetPerSecond: 50_000 },
  { label: "10_runs", runs: 10, events: 100_000, targetPerSecond: 50_000 },
] as const;
const BARE_CREATES = 5_000;
const TURN_TIMEOUT_MS = 120_000;

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

export async function run(): Promise<void> {
  // Always bundled afresh: a sidecar bundle left from an older checkout would measure old code.
  execFileSync(process.execPath, [path.join("scripts", "build-bundles.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-pipeline-"));
  let stopChatty: (() => void) | undefined;
  const { bearer } = await platform.owner.ownerCaller.apiTokens.create({ workspaceId: platform.workspaceId, name: "pipeline watcher", scopes: ["hosts.read"], expiresInDays: 1 });

  const storedPerSecond: Record<string, number> = {};
  try {
    for (const scenario of SCENARIOS) {
      const chatty = await chattyRuns(platform, root, { runs: scenario.runs, total: scenario.events, perSecond: scenario.targetPerSecond, priority: "low" });
      stopChatty = chatty.stop;
      const runs = chatty.runIds;

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
      await chatty.start();
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

      chatty.stop();
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
    stopChatty?.();
    await platform.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
