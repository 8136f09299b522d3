import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dockerHandlers } from "@/operators/docker/docker-handlers";
import { startTestEngine, type TestEngine } from "@/operators/docker/testing/test-engine";
import { OperatorChannel } from "@/operators/shared/operator-channel";
import { createOperatorLog } from "@/operators/shared/operator-log";
import { FAST_TIMING } from "@/operators/shared/testing/started-channel";
import { freePort, kill, lastStart, outputLines, startPlatformProcess, watch } from "../../testing/platform-process";

/**
 * A turn on a Local Docker host while the platform is killed with SIGKILL five times in a row.
 * The operator and the container (and its sidecar's event log) live on; each time the platform
 * comes back, the operator reconnects, its sidecars are re-pointed at the new hub and asked for
 * what they logged. At the end every event is stored from 1 without a hole, and a watcher that
 * reconnected after each crash got every line once, in order.
 */
const LINES = 3000;
const TURN = `node -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=${LINES})clearInterval(t)},6)'`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-docker-data-"));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-docker-sandboxes-"));
const running: ChildProcess[] = [];
let engine: TestEngine | undefined;
let operator: OperatorChannel | undefined;

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await operator?.stop();
  await engine?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

describe("a Docker host's turn while the platform is killed with SIGKILL five times", () => {
  it("ends with every event stored from 1 without a hole, and every line delivered to the watcher once, in order", async () => {
    engine = await startTestEngine();
    const place = { dataDir, port: await freePort(), root, running };
    const first = startPlatformProcess(place, "--start-docker", TURN);
    const { hostId, key } = await first.fact<{ hostId: string; key: string }>("dockerHost");
    operator = new OperatorChannel({
      settings: { platformUrl: `http://127.0.0.1:${place.port}`, hostId, installKey: key },
      operatorVersion: "0.1.0",
      handlers: dockerHandlers({ engine: engine.engine, sandboxes: engine.sandboxes, pool: engine.pool, operatorVersion: "0.1.0" }),
      health: () => ({}),
      log: createOperatorLog({ level: "error" }),
      timing: FAST_TIMING,
    });
    void operator.run();
    const { runId, bearer } = await first.fact<{ runId: string; bearer: string }>("started");
    const watcher = watch(`http://127.0.0.1:${place.port}/api/runs/${runId}/events`, bearer);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await kill(first);

    for (let crash = 2; crash <= 5; crash += 1) {
      const again = startPlatformProcess(place, runId);
      // Up long enough for the operator to reconnect and the sidecar to start sending again.
      await again.fact("stored");
      await new Promise((resolve) => setTimeout(resolve, 200));
      await kill(again);
    }
    const { watched, stored, contiguousSeq } = await lastStart(place, runId, watcher, 90_000);

    const lines = Array.from({ length: LINES }, (_, i) => `line ${i}`);
    expect(outputLines(watched)).toEqual(lines);
    expect(watched.map((event) => event.seq)).toEqual(watched.map((_, i) => i + 1));
    expect(stored.map((event) => event.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(outputLines(stored)).toEqual(lines);
    expect(contiguousSeq).toBe(stored.length);
  }, 180_000);
});
