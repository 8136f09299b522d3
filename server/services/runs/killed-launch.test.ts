import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TRun } from "@/prisma-free-schema";
import { LocalProcessProvider } from "../../providers/managed/local-process-provider";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { freePort, kill, startPlatformProcess, removePlatformPlace } from "../../testing/platform-process";
import { openTestStore } from "../../testing/test-store";

/**
 * The platform killed with SIGKILL at many instants of a run's launch and first turn, from the
 * moment runs.start has answered (the run saved, its sandbox and turn under way in the
 * background) to well after: each time it is started again, and within 30 s the run has finished
 * its turn (its start, kept in the store, taken up again by the new process; a failure would have
 * to say why); and no sandbox is left running that no run wants.
 */
const INSTANTS_MS = [0, 50, 100, 200, 400, 800, 1600];
const SETTLE_MS = 30_000;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-killed-launch-"));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-killed-launch-sandboxes-"));
fs.chmodSync(root, 0o711);
const running: ChildProcess[] = [];

afterAll(() => removePlatformPlace({ dataDir, port: 0, root, running }), 60_000);

/** A run a person would call settled: its turn finished, or it (or its turn) failed saying why. */
function settled(run: TRun | undefined): boolean {
  if (!run) return false;
  if (run.status === "failed") return run.failure !== null;
  if (run.status !== "idle") return false;
  return run.lastTurn?.outcome === "succeeded" || (run.lastTurn?.outcome === "failed" && run.failure !== null);
}

describe("a platform killed at any instant of a run's launch and first turn", () => {
  it("comes back to every run with its turn finished within 30 s, and no sandbox no run wants", async () => {
    const place = { dataDir, port: await freePort(), root, running };
    const outcomes: Record<number, string> = {};
    for (const instant of INSTANTS_MS) {
      const first = startPlatformProcess(place, "--start", "echo launched; sleep 1; echo done");
      const { runId } = await first.fact<{ runId: string }>("created");
      await new Promise((resolve) => setTimeout(resolve, instant));
      await kill(first);

      const again = startPlatformProcess(place, runId);
      await again.fact("ready");
      const run = await again.factWhere<TRun>("run", settled, SETTLE_MS);
      expect(settled(run), `killed ${instant} ms after runs.start: ${JSON.stringify(run)}`).toBe(true);
      outcomes[instant] = run!.status === "idle" && run!.lastTurn?.outcome === "succeeded" ? "finished" : `failed: ${run!.failure}`;
      await kill(again);
    }
    // Whatever still runs is a sandbox a run wants: its run is not over.
    const store = await openTestStore(dataDir);
    try {
      const provider = new LocalProcessProvider(root);
      for (const sandboxId of await provider.list()) {
        const sandbox = await sandboxStore(store).findById(sandboxId);
        const state = sandbox ? (await provider.inspect(sandbox)).state : "unknown";
        if (state !== "running") continue;
        const wanted = sandbox && (await runStore(store).onSandbox(sandbox.workspaceId, sandbox.id)).length > 0;
        expect(wanted, `sandbox ${sandboxId} runs, but no run wants it`).toBe(true);
      }
    } finally {
      await store.close();
    }
    // Wherever the kill fell, the turn's start was intent in the store: the next process took it
    // up again, and the sandbox ran the turn once.
    expect(outcomes).toEqual(Object.fromEntries(INSTANTS_MS.map((instant) => [instant, "finished"])));
  }, 600_000);
});
