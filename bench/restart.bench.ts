/**
 * A platform restart as watchers see it: the platform (server/services/events/platform-crash.fixture.ts,
 * the harness with the embedded store and hub, as `npm start` runs them) serves a run whose turn
 * prints a line every 20 ms, to WATCHERS open event streams; it is killed with SIGKILL and started
 * again on the same data. From the moment it is ready again (its sandboxes reconnected, as
 * /__ready answers), how long until each stream is open again and has its next event, p50/p99.
 * Watchers reconnect as EventSource does, with their last id, RETRY_MS after a drop.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { freePort, kill, removePlatformPlace, startPlatformProcess, watch } from "../server/testing/platform-process";
import { emit, emitLatency } from "./measure";

const BENCH = "restart";
const WATCHERS = 200;
const RETRY_MS = 100;
const TURN = `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=6000)clearInterval(t)},20)'`;

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-restart-"));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-restart-sandboxes-"));
  fs.chmodSync(root, 0o711);
  const running: ChildProcess[] = [];
  const place = { dataDir, port: await freePort(), root, running, env: { MAX_EVENT_STREAMS_PER_PRINCIPAL: String(WATCHERS * 3), DP_EMBEDDED_THREAD: "own" } };
  const watchers: ReturnType<typeof watch>[] = [];
  try {
    const first = startPlatformProcess(place, "--start", TURN);
    const { runId, bearer } = await first.fact<{ runId: string; bearer: string }>("started");
    const url = `http://127.0.0.1:${place.port}/api/runs/${runId}/events`;
    for (let i = 0; i < WATCHERS; i += 1) watchers.push(watch(url, bearer, { retryMs: RETRY_MS }));
    const deadline = Date.now() + 30_000;
    while (watchers.some((watcher) => watcher.receivedAt.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    await kill(first);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = startPlatformProcess(place, runId);
    await again.fact("ready");
    const ready = performance.now();
    let storedAt: number | undefined;
    void again.fact("stored").then(() => (storedAt = performance.now()));
    const until = Date.now() + 30_000;
    while (watchers.some((watcher) => (watcher.receivedAt.at(-1) ?? 0) < ready) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const resumed = watchers.map((watcher) => watcher.receivedAt.find((at) => at >= ready)).filter((at): at is number => at !== undefined);
    emit({ bench: BENCH, metric: "streams_resumed_ratio", value: resumed.length / WATCHERS, unit: "ratio" });
    emitLatency(BENCH, `stream_resumed_after_ready_${WATCHERS}`, resumed.map((at) => at - ready).sort((a, b) => a - b));
    // The part of it that is the sandbox coming back: its first event stored after the restart.
    if (storedAt !== undefined) emit({ bench: BENCH, metric: "first_event_stored_after_ready", value: storedAt - ready, unit: "ms" });
    await kill(again);
  } finally {
    for (const watcher of watchers) watcher.stop();
    await removePlatformPlace(place);
  }
}
