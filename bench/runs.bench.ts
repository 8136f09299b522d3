/**
 * Runs on managed compute's embedded backend, with real sidecar processes and the shell agent:
 *  - launch-to-ready of a new sandbox (`ensureSandbox`, a new one each time: bubblewrap's
 *    boundary, the bundled sidecar, its connect and health check), and what the boundary alone
 *    costs: `node -e 0` started inside the same boundary against started bare;
 *  - agent events per second through the whole pipeline (sidecar → hub → event handler → store →
 *    bus → the SSE route over HTTP → a reader), for a turn that prints faster than it can carry;
 *  - emit → SSE receipt latency (receipt time − the `at` the sidecar stamped) with 1, 100 and
 *    1,000 readers of one run, each on its own HTTP keep-alive socket, spread over API tokens
 *    (each may hold MAX_EVENT_STREAMS_PER_PRINCIPAL streams); quiet, and again while ten other
 *    chatty runs (chatty-runs.ts) pour 20,000 events a second through the same platform (their
 *    sidecars in the background, as other machines' work: the rate they reached is reported);
 *  - memory per open stream with 1,000 open: the main isolate's heap (the server's side) and the
 *    process RSS (both ends: the readers live in a worker thread of this process).
 * The SSE route is `serveRunEventStream`, the function app/api/runs/[runId]/events/route.ts hands
 * every request to, served by the platform harness's HTTP server instead of Next.js.
 * Alongside, how busy the platform's thread and the readers' thread were, so a latency or a rate
 * can be read as "the platform is saturated" or not.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import type { TRunDetail } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../server/auth/workspace-access";
import { startPlatformHarness } from "../server/channel/testing/platform-harness";
import { LocalProcessProvider } from "../server/providers/managed/local-process-provider";
import { bubblewrapArgs, bwrapArgsPayload } from "../server/providers/managed/bubblewrap";
import { prlimitArgs, sandboxLimits } from "../server/providers/managed/resource-limits";
import { prepareSandboxFolder, sandboxFolder } from "../server/providers/managed/sandbox-folder";
import { BUNDLED_SIDECAR } from "../server/providers/managed/sidecar-command";
import { getRunEventBus } from "../server/services/events/run-event-bus";
import { resolveProfile } from "../server/services/resolver/resolve-profile";
import { runDetail } from "../server/services/runs/run-turns";
import { sendTurn } from "../server/services/runs/send-turn";
import { startRun } from "../server/services/runs/start-run";
import { destroySandbox } from "../server/services/sandboxes/destroy-sandbox";
import { ensureSandbox } from "../server/services/sandboxes/ensure-sandbox";
import type { SandboxDeps } from "../server/services/sandboxes/sandbox-deps";
import { sandboxDefinitionOf } from "../server/services/sandboxes/sandbox-definition";
import { profileStore } from "../server/store/profile-store";
import { runStore } from "../server/store/run-store";
import { sandboxStore } from "../server/store/sandbox-store";
import { eventually } from "../server/testing/eventually";
import { AS_DEPLOYED, emit, emitLatency } from "./measure";
import { chattyRuns } from "./chatty-runs";
import { SseSubscribers } from "./sse-subscribers";

const BENCH = "runs";
const LAUNCH_WARMUP = 2;
const BUNDLE_LAUNCHES = 20;
const BOUNDARY_STARTS = 20;
/** The burst turn: lines written back to back, 0.3 ms apart, more than the pipeline carries at once. */
const BURST_LINES = 800;
const BURST_GAP_MS = 0.3;
/** The latency turns: a line every 20 ms, a pace the pipeline keeps up with, so latency is not backlog. */
const PACED_LINES = 100;
const PACED_EVERY_MS = 20;
const SUBSCRIBERS = [1, 100, 1000] as const;
/** The load beside the latency turns: ten chatty runs together at the pipeline's target rate, long enough to span a turn. */
const LOAD_RUNS = 10;
const LOAD_PER_SECOND = 20_000;
const LOAD_SECONDS = 8;
const STREAMS_PER_TOKEN = 16;
const TURN_TIMEOUT_MS = 90_000;

/** A shell turn: node writing `lines` lines synchronously, spinning `gapMs` between them. */
function burstScript(lines: number, gapMs: number): string {
  return `'${process.execPath}' -e 'const fs=require("fs");for(let i=0;i<${lines};i++){fs.writeSync(1,"line "+i+"\\n");const t=performance.now()+${gapMs};while(performance.now()<t);}'`;
}
function pacedScript(lines: number, everyMs: number): string {
  return `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("tick "+i);if(++i>=${lines})clearInterval(t)},${everyMs})'`;
}

/** The collector, where this runtime lets us have it (`--expose-gc` set now instead of on the command line). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** Times `node -e 0` started in a sandbox's boundary (the provider's own bwrap arguments and limits) or bare. */
async function nodeStarts(root: string, inBoundary: boolean): Promise<number[]> {
  const folder = sandboxFolder(root, "sbx_boundarybench");
  prepareSandboxFolder(folder);
  const limits = sandboxLimits("small");
  const { options } = bubblewrapArgs({ folder, sidecarBundle: path.resolve(BUNDLED_SIDECAR), nodePath: process.execPath, tmpBytes: limits.tmpBytes, infoFd: 3, env: {} });
  const payload = bwrapArgsPayload(options.filter((option, index) => !(option === "--info-fd" || options[index - 1] === "--info-fd")));
  const times: number[] = [];
  for (let i = 0; i < BOUNDARY_STARTS; i += 1) {
    const started = performance.now();
    if (inBoundary) {
      execFileSync("prlimit", [...prlimitArgs(limits), "--", "bwrap", "--args", "0", "--", process.execPath, "-e", "0"], { input: payload, stdio: ["pipe", "ignore", "inherit"] });
    } else {
      // The same clean environment the boundary gives (the bench itself runs under tsx's NODE_OPTIONS).
      execFileSync(process.execPath, ["-e", "0"], { stdio: ["ignore", "ignore", "inherit"], env: { PATH: "/usr/bin:/bin", NODE_ENV: "production" } });
    }
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function warn(message: string): void {
  process.stderr.write(`runs bench: ${message}\n`);
}

export async function run(): Promise<void> {
  // Always bundled afresh: a sidecar bundle left from an older checkout would measure old code.
  execFileSync(process.execPath, [path.join("scripts", "build-bundles.mjs")], { stdio: ["ignore", "ignore", "inherit"] });

  const gc = collector();
  // Before the platform: from here on, everything that can fail is inside the try that cleans up.
  const readers = new SseSubscribers();
  const platform = await startPlatformHarness(AS_DEPLOYED);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-sandboxes-"));
  const loadRoot = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-load-"));
  const provider = new LocalProcessProvider(root);
  const deps: SandboxDeps = { store: platform.store, channel: platform.channel.platform, providers: { managed: provider }, readyTimeoutMs: 30_000 };
  const actor = platform.owner.owner;
  const workspaceId = platform.workspaceId;
  const access = () => resolveWorkspaceAccess(platform.store, actor, workspaceId, "runs.start");
  const readRun = async (runId: string) => runDetail(platform.store, (await runStore(platform.store).get(workspaceId, runId))!);
  const idle = (current: TRunDetail) => current.status === "idle";

  try {
    // 1. Launch to ready: a new sandbox each time (the previous one destroyed, untimed).
    const { items } = await profileStore(platform.store).list(workspaceId, { limit: 10 });
    const profile = items.find((candidate) => candidate.name === "Default")!;
    const { workspace, member } = await access();
    const resolution = await resolveProfile({ store: platform.store, workspace, member, profile });
    if (!resolution.ok) throw new Error(`the Default profile does not resolve: ${resolution.message}`);
    const want = { workspaceId, ownerId: actor.userId, definition: sandboxDefinitionOf(profile, resolution) };
    const launch = async () => {
      const started = performance.now();
      const { sandbox, reused } = await ensureSandbox(deps, want);
      const ms = performance.now() - started;
      if (reused) throw new Error("a launch reused a sandbox; every launch must be new");
      await destroySandbox(deps, sandbox, "benchmark: the next launch needs a new one");
      return ms;
    };
    const launches = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i += 1) times.push(await launch());
      return times.sort((a, b) => a - b);
    };
    await launches(LAUNCH_WARMUP);
    emitLatency(BENCH, "managed_launch_to_ready", await launches(BUNDLE_LAUNCHES));
    const isolated = emitLatency(BENCH, "node_start_in_boundary", await nodeStarts(root, true));
    const bare = emitLatency(BENCH, "node_start_bare", await nodeStarts(root, false));
    emit({ bench: BENCH, metric: "node_start_in_boundary_vs_bare_p50", value: isolated / bare, unit: "ratio" });

    // One run, its sandbox warmed by a first turn; every later turn reuses it.
    const { run: created, started } = await startRun(deps, { actor, access: await access(), profileId: profile.id, input: "echo warm" });
    await started;
    const runId = created.id;
    if (!idle(await eventually(() => readRun(runId), idle, 30_000))) throw new Error("the warm-up turn did not end");
    // Each token may hold MAX_EVENT_STREAMS_PER_PRINCIPAL streams (20): 1,000 watchers are many
    // people or tools, so the readers share a pool of tokens, a few slots short of each one's cap
    // (a closed stream's slot is freed a moment after its socket ends).
    const bearers: string[] = [];
    for (let i = 0; i < Math.ceil(Math.max(...SUBSCRIBERS) / STREAMS_PER_TOKEN); i += 1) {
      bearers.push((await platform.owner.ownerCaller.apiTokens.create({ workspaceId, name: `bench stream reader ${i}`, scopes: ["hosts.read"], expiresInDays: 1 })).bearer);
    }
    const url = `${platform.platformUrl}/api/runs/${runId}/events`;

    /** Opens `count` readers from the run's newest event on; returns how long until all were connected, and that seq. */
    const openReaders = async (count: number) => {
      const { lastSeq } = await readRun(runId);
      return { openMs: await readers.open({ url, bearers, afterSeq: lastSeq, count }), afterSeq: lastSeq };
    };
    /** Sends a turn, waits for every reader to see it end and the run to be idle; `expected` is how many events it had. */
    const turn = async (input: string, afterSeq: number) => {
      const number = (await readRun(runId)).turns.length + 1;
      const seen = readers.watchTurn(number, TURN_TIMEOUT_MS);
      const sent = await sendTurn(deps, { actor, access: await access(), runId, input });
      await sent.started;
      await seen;
      const ended = await eventually(() => readRun(runId), idle, TURN_TIMEOUT_MS);
      if (ended.turns.at(-1)?.outcome !== "succeeded") warn(`turn ${number} ended ${ended.turns.at(-1)?.outcome ?? "never"}`);
      return { receipts: await readers.report(), expected: ended.lastSeq - afterSeq };
    };
    const closeReaders = async () => {
      await readers.closeStreams();
      const bus = getRunEventBus();
      if ((await eventually(async () => bus.listenerCount(runId), (count) => count === 0, 30_000)) !== 0) warn("streams still subscribed 30 s after their readers hung up");
    };
    const checkComplete = (label: string, perStream: number[], expected: number) => {
      const short = perStream.filter((count) => count !== expected).length;
      if (short > 0) warn(`${label}: ${short} of ${perStream.length} readers did not get exactly the turn's ${expected} events`);
    };

    // 2. Events per second: one reader, a turn that prints faster than the pipeline carries.
    const { afterSeq: burstAfter } = await openReaders(1);
    const storedAt: number[] = [];
    const emittedAt: number[] = [];
    let burstTurn = -1;
    const unsubscribe = getRunEventBus().subscribe(runId, (event) => {
      if (event.turn !== burstTurn || event.kind !== "output") return;
      storedAt.push(Date.now());
      emittedAt.push(Date.parse(event.at));
    });
    try {
      burstTurn = (await readRun(runId)).turns.length + 1;
      const busy = performance.eventLoopUtilization();
      const { receipts, expected } = await turn(burstScript(BURST_LINES, BURST_GAP_MS), burstAfter);
      // Near 1: the platform's thread (hub, handler, embedded store) is the limit; well below: the serial hand-offs are.
      emit({ bench: BENCH, metric: "pipeline_platform_thread_busy", value: performance.eventLoopUtilization(busy).utilization, unit: "ratio" });
      checkComplete("burst", receipts.perStream, expected);
      const outputs = storedAt.length;
      const perSecond = (count: number, fromMs: number, toMs: number) => (count - 1) / ((toMs - fromMs) / 1000);
      emit({ bench: BENCH, metric: "pipeline_agent_emitted_per_s", value: perSecond(outputs, Math.min(...emittedAt), Math.max(...emittedAt)), unit: "ops/s" });
      emit({ bench: BENCH, metric: "pipeline_events_stored_per_s", value: perSecond(outputs, storedAt[0]!, storedAt.at(-1)!), unit: "ops/s" });
      emit({ bench: BENCH, metric: "pipeline_events_sse_received_per_s", value: perSecond(receipts.outputsPerStream[0]!, receipts.firstOutputAt, receipts.lastOutputAt), unit: "ops/s" });
      process.stderr.write(`runs bench: burst turn: ${BURST_LINES} lines became ${outputs} output events (${expected} events in all)\n`);
    } finally {
      unsubscribe();
      await closeReaders();
    }

    // 3 and 4. Latency with 1, 100 and 1,000 readers; memory per stream with 1,000 open.
    for (const count of SUBSCRIBERS) {
      let before: NodeJS.MemoryUsage | undefined;
      if (count === 1000) {
        await readers.gc();
        gc();
        before = process.memoryUsage();
      }
      const { openMs, afterSeq } = await openReaders(count);
      if (before) {
        emit({ bench: BENCH, metric: `sse_open_c${count}`, value: openMs, unit: "ms" });
        await readers.gc();
        gc();
        const after = process.memoryUsage();
        emit({ bench: BENCH, metric: "sse_memory_per_stream_heap", value: (after.heapUsed - before.heapUsed) / count, unit: "bytes" });
        emit({ bench: BENCH, metric: "sse_memory_per_stream_rss", value: (after.rss - before.rss) / count, unit: "bytes" });
      }
      try {
        const serverBusy = performance.eventLoopUtilization();
        const readersBusy = readers.busy();
        const { receipts, expected } = await turn(pacedScript(PACED_LINES, PACED_EVERY_MS), afterSeq);
        checkComplete(`${count} readers`, receipts.perStream, expected);
        emitLatency(BENCH, `sse_emit_to_receipt_c${count}`, receipts.latenciesMs.sort((a, b) => a - b));
        const delivered = receipts.outputsPerStream.reduce((sum, n) => sum + n, 0);
        emit({ bench: BENCH, metric: `sse_frames_delivered_c${count}_per_s`, value: delivered / ((receipts.lastOutputAt - receipts.firstOutputAt) / 1000), unit: "ops/s" });
        // How busy each side was during the turn: which one the latency above is waiting on.
        emit({ bench: BENCH, metric: `sse_c${count}_platform_thread_busy`, value: performance.eventLoopUtilization(serverBusy).utilization, unit: "ratio" });
        emit({ bench: BENCH, metric: `sse_c${count}_reader_thread_busy`, value: readers.busy(readersBusy).utilization, unit: "ratio" });

        // The same, while ten other chatty runs pour events through the same platform at the pipeline's rate.
        const load = await chattyRuns(platform, loadRoot, { runs: LOAD_RUNS, total: LOAD_PER_SECOND * LOAD_SECONDS, perSecond: LOAD_PER_SECOND, priority: "background" });
        let loadStored = 0;
        const unsubscribes = load.runIds.map((loadRunId) => getRunEventBus().subscribe(loadRunId, (event) => void (event.kind === "agent" && (loadStored += 1))));
        try {
          await load.start();
          await eventually(async () => loadStored, (n) => n >= LOAD_PER_SECOND / 4, 30_000);
          const { lastSeq } = await readRun(runId);
          const turnStarted = performance.now();
          const storedBefore = loadStored;
          const loaded = await turn(pacedScript(PACED_LINES, PACED_EVERY_MS), lastSeq);
          const loadRate = (loadStored - storedBefore) / ((performance.now() - turnStarted) / 1000);
          checkComplete(`${count} readers under load`, loaded.receipts.perStream, loaded.expected);
          emitLatency(BENCH, `sse_emit_to_receipt_c${count}_under_load`, loaded.receipts.latenciesMs.sort((a, b) => a - b));
          emit({ bench: BENCH, metric: `sse_c${count}_under_load_events_stored_per_s`, value: loadRate, unit: "ops/s" });
        } finally {
          for (const unsubscribe of unsubscribes) unsubscribe();
          load.stop();
        }
      } finally {
        await closeReaders();
      }
    }
  } finally {
    await readers.stop();
    for (const { etag: _etag, ...sandbox } of await sandboxStore(platform.store).listLive()) await provider.destroy(sandbox);
    await platform.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(loadRoot, { recursive: true, force: true });
  }
}
