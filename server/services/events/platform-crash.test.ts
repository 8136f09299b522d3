import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, kill, lastStart, outputLines, startPlatformProcess, watch, removePlatformPlace } from "../../testing/platform-process";

/**
 * The platform killed with SIGKILL while a turn streams, and killed again while the sandbox's
 * sidecar is replaying what it logged meanwhile, and again: when it finally stays up, the stored
 * events run from 1 without a hole, and a watcher that reconnected with Last-Event-ID after each
 * crash (as EventSource does) got every line the agent printed, once, in order.
 */
const LINES = 3000;
/** One line every 2 ms: most become an event of their own, about 6 s of turn. */
const TURN = `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=${LINES})clearInterval(t)},2)'`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-data-"));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-sandboxes-"));
const running: ChildProcess[] = [];

afterAll(() => removePlatformPlace({ dataDir, port: 0, root, running }), 60_000);

describe("a platform killed with SIGKILL during a turn and during the replay after it", () => {
  it("ends with every event stored from 1 without a hole, and every line delivered to the watcher once, in order", async () => {
    const place = { dataDir, port: await freePort(), root, running };
    const { port } = place;
    const first = startPlatformProcess(place, "--start", TURN);
    const { runId, bearer } = await first.fact<{ runId: string; bearer: string }>("started");
    const watcher = watch(`http://127.0.0.1:${port}/api/runs/${runId}/events`, bearer);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Killed mid-turn; the sandbox keeps running and logging while the platform is away.
    await kill(first);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Twice killed as soon as it stores the first replayed event: mid-replay.
    for (let crash = 0; crash < 2; crash += 1) {
      const again = startPlatformProcess(place, runId);
      await again.fact("stored");
      await kill(again);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const { watched, stored, contiguousSeq } = await lastStart(place, runId, watcher, 60_000);

    const lines = Array.from({ length: LINES }, (_, i) => `line ${i}`);
    expect(outputLines(watched)).toEqual(lines);
    expect(watched.map((event) => event.seq)).toEqual(watched.map((_, i) => i + 1));
    expect(stored.map((event) => event.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(outputLines(stored)).toEqual(lines);
    expect(contiguousSeq).toBe(stored.length);
  }, 120_000);
});
