import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINERS, type TRunEvent } from "@/prisma-free-schema";
import { LocalProcessProvider } from "../providers/managed/local-process-provider";
import { sandboxStore } from "../store/sandbox-store";
import { openStore, type Store } from "../store/store";
import { eventually } from "../testing/eventually";
import { freePort, kill, outputLines, type PlatformProcess, startPlatformProcess, watch } from "../testing/platform-process";
import { type FrontDoor, startFrontDoor, startStandaloneHub, startStandaloneStore } from "../testing/shared-services";
import type { SharedServices } from "./testing/platform-harness";

/**
 * Several platform processes on one store and one hub, as a deployment runs them (the store and
 * hub as `npm run store` and `npm run hub` start them, reached through the Azure settings), behind
 * a front door that sends each connection, the hub's event posts among them, to one of them.
 * What a person would notice: a run started on one process streams on every process; a
 * command's reply reaches the process that sent it wherever the hub posted it; and when a
 * process is let go (SIGTERM) or dies (SIGKILL) mid-turn, the watchers go on at another with no
 * line lost or repeated, the turn finishes, and the jobs go on, in one process.
 */
const FIXTURE = path.resolve(__dirname, "testing/shared-platform.fixture.ts");
const turn = (lines: number, everyMs: number) =>
  `'${process.execPath}' -e 'let i=0;const t=setInterval(()=>{console.log("line "+i);if(++i>=${lines})clearInterval(t)},${everyMs})'`;
const linesOf = (count: number) => Array.from({ length: count }, (_, i) => `line ${i}`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-shared-"));
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dp-shared-sandboxes-"));
const running: ChildProcess[] = [];
let frontDoor: FrontDoor;
let services: { stop(): Promise<void> }[] = [];
let shared: SharedServices;
let store: Store;

beforeAll(async () => {
  frontDoor = await startFrontDoor();
  const hub = await startStandaloneHub(`${frontDoor.url}/api/channel/events`);
  const cosmos = await startStandaloneStore(path.join(dataDir, "store"));
  services = [hub, cosmos];
  // The relay alone must carry live events here: the periodic resync (the backstop) is set far off.
  shared = { store: { endpoint: cosmos.endpoint, key: cosmos.key, database: "shared" }, connectionString: hub.connectionString, peers: { resyncMs: 600_000 } };
  store = await openStore({ store: { mode: "azure", ...shared.store }, dataDir });
}, 60_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  const provider = new LocalProcessProvider(root);
  for (const { etag: _etag, ...sandbox } of await sandboxStore(store).listLive()) await provider.destroy(sandbox).catch(() => undefined);
  await store.close();
  for (const service of services) await service.stop();
  await frontDoor.stop();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function platform(args: string[] = [], port?: number): Promise<{ process: PlatformProcess; port: number; holder: string }> {
  port ??= await freePort();
  const started = startPlatformProcess({ dataDir, port, root, running, fixture: FIXTURE, env: { SHARED_SERVICES: JSON.stringify(shared) } }, ...args);
  const holder = await started.fact<string>("holder");
  if (args.length === 0) await started.fact("ready");
  return { process: started, port, holder };
}

const streamUrl = (base: string, runId: string) => `${base}/api/runs/${runId}/events`;
const seqs = (events: TRunEvent[]) => events.map((event) => event.seq);
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms))]);

async function jobHolders(): Promise<string[]> {
  const container = await store.container(CONTAINERS.system);
  const { resources } = await container.items.query<{ holder: string; expiresAt: string }>("SELECT c.holder, c.expiresAt FROM c WHERE c.type = 'jobLease'").fetchAll();
  return [...new Set(resources.filter((lease) => lease.expiresAt > new Date().toISOString()).map((lease) => lease.holder))];
}

describe("two platform processes on one store and hub", () => {
  let b: Awaited<ReturnType<typeof platform>>;

  it("a run started on A streams on A and on B, though every hub post went to B: replies are passed to A, events relayed to it", async () => {
    const portB = await freePort();
    frontDoor.route([portB]);
    b = await platform([], portB);
    const a = await platform(["--start", turn(200, 10)]);
    // A's first turn needed the sidecar's replies (health, turn start), which the hub posted to B.
    const { runId, bearer } = await a.process.fact<{ runId: string; bearer: string }>("started");
    const onA = watch(streamUrl(`http://127.0.0.1:${a.port}`, runId), bearer);
    const onB = watch(streamUrl(`http://127.0.0.1:${b.port}`, runId), bearer);
    await within(Promise.all([onA.ended, onB.ended]), 30_000, "both watchers saw the turn end");
    for (const watcher of [onA, onB]) {
      expect(outputLines(watcher.events)).toEqual(linesOf(200));
      expect(seqs(watcher.events)).toEqual(watcher.events.map((_, i) => i + 1));
    }
    // Every event came into B; A had them only by relay.
    expect(frontDoor.served(a.port)).toBe(0);
    onA.stop();
    onB.stop();
    await kill(a.process);
  }, 90_000);

  for (const stop of ["SIGTERM", "SIGKILL"] as const) {
    it(`a process serving a streaming turn and its watchers is sent ${stop}: they go on at the other, nothing lost or repeated, and the jobs go on in one process`, async () => {
      frontDoor.route([b.port]);
      const a = await platform(["--start", turn(400, 10)]);
      const { runId, bearer } = await a.process.fact<{ runId: string; bearer: string }>("started");
      await a.process.fact("ready");
      // Everything through the front door to A now: the hub's posts and both watchers.
      frontDoor.route([a.port]);
      const watchers = [watch(streamUrl(frontDoor.url, runId), bearer), watch(streamUrl(frontDoor.url, runId), bearer)];
      expect(await eventually(async () => watchers.every((watcher) => watcher.events.length >= 20), Boolean, 20_000)).toBe(true);
      expect(frontDoor.served(a.port)).toBeGreaterThan(0);

      // The deployment moves traffic to B, then lets A go.
      frontDoor.route([b.port]);
      const exited = new Promise<number | null>((resolve) => a.process.child.once("exit", (code) => resolve(code)));
      const signalledAt = Date.now();
      a.process.child.kill(stop);
      await exited;
      if (stop === "SIGTERM") expect(Date.now() - signalledAt).toBeLessThan(5_000);

      await within(Promise.all(watchers.map((watcher) => watcher.ended)), 45_000, "the watchers saw the turn end");
      for (const watcher of watchers) {
        watcher.stop();
        expect(outputLines(watcher.events)).toEqual(linesOf(400));
        expect(seqs(watcher.events)).toEqual(watcher.events.map((_, i) => i + 1));
      }
      // The jobs A held are B's now (A gave them up, or they lapsed), and only B's.
      expect(await eventually(jobHolders, (holders) => holders.length === 1 && holders[0] === b.holder, 30_000)).toEqual([b.holder]);
    }, 120_000);
  }
});
