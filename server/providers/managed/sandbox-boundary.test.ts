import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRunEvent } from "@/prisma-free-schema";
import { resolveWorkspaceAccess } from "../../auth/workspace-access";
import { type PlatformHarness, startPlatformHarness } from "../../channel/testing/platform-harness";
import { listRunEvents } from "../../services/events/list-run-events";
import type { SandboxDeps } from "../../services/sandboxes/sandbox-deps";
import { startRun } from "../../services/runs/start-run";
import { profileStore } from "../../store/profile-store";
import { runStore } from "../../store/run-store";
import { sandboxStore } from "../../store/sandbox-store";
import { eventually } from "../../testing/eventually";
import { profileSettings } from "../../testing/hosts-fixtures";
import { LocalProcessProvider } from "./local-process-provider";
import { findBox } from "./sandbox-box";
import { sandboxFolder } from "./sandbox-folder";

/**
 * A managed sandbox tried as an attacker would: a turn's shell, on a platform laid out as it is
 * in production (the auth secret and the store's journal under DATA_DIR, sandboxes beside them,
 * a secret in the platform's environment), tries to read, list, signal and write everything that
 * is not its own. Each attempt prints BLOCKED or REACHED; every one must be BLOCKED, and the
 * positive controls (its own workspace and /tmp) must be REACHED, so a script that silently
 * failed to run cannot pass.
 */
const CANARY_NAME = "DP_BOUNDARY_CANARY";
const canary = `canary-${randomBytes(12).toString("hex")}`;

let platform: PlatformHarness;
let provider: LocalProcessProvider;
let deps: SandboxDeps;
let dataDir: string;

beforeAll(async () => {
  // The platform's own environment holds a secret, as PLATFORM_ADMIN_TOKEN or COSMOS_KEY would.
  process.env[CANARY_NAME] = canary;
  platform = await startPlatformHarness();
  dataDir = platform.store.dataDir;
  fs.writeFileSync(path.join(dataDir, "auth-secret"), `secret-${canary}`, { mode: 0o600 });
  provider = new LocalProcessProvider(path.join(dataDir, "sandboxes"));
  deps = { store: platform.store, channel: platform.channel.platform, providers: { managed: provider }, readyTimeoutMs: 20_000 };
}, 60_000);

afterAll(async () => {
  delete process.env[CANARY_NAME];
  for (const { etag: _etag, ...sandbox } of await sandboxStore(platform.store).listLive()) await provider.destroy(sandbox);
  await platform.stop();
}, 60_000);

async function profileId(name: string): Promise<string> {
  const { items } = await profileStore(platform.store).list(platform.workspaceId, { limit: 50 });
  const found = items.find((profile) => profile.name === name);
  if (found) return found.id;
  const created = await platform.owner.ownerCaller.profiles.create({ workspaceId: platform.workspaceId, ...profileSettings({ name }) });
  return created.id;
}

/** Runs `script` as a turn on the profile's sandbox and returns its output once the turn ended. */
async function runTurn(profile: string, script: string): Promise<{ output: string; sandboxId: string }> {
  const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
  const { run, started } = await startRun(deps, { actor: platform.owner.owner, access, profileId: await profileId(profile), input: script });
  await started;
  const ended = await eventually(
    () => runStore(platform.store).get(platform.workspaceId, run.id),
    (current) => current?.status === "idle",
    30_000,
  );
  expect(ended?.status).toBe("idle");
  const events = await listRunEvents({ store: platform.store, runId: run.id, afterSeq: 0, limit: 1_000 });
  const output = events.map((event: TRunEvent) => (event.kind === "output" ? event.text : "")).join("");
  return { output, sandboxId: ended!.sandboxId! };
}

function verdicts(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^(BLOCKED|REACHED) (\S+)$/gm)].map((match) => [match[2]!, match[1]!]));
}

const TRY = `attempt() { name=$1; shift; if "$@" >/dev/null 2>&1; then echo "REACHED $name"; else echo "BLOCKED $name"; fi; }`;

describe("a managed sandbox's boundary", () => {
  it("keeps a turn away from the platform's secrets, store, environment and processes, and from other sandboxes", async () => {
    // A neighbour: another sandbox (another profile), alive while the attack runs.
    const neighbour = await runTurn("Neighbour", "echo neighbour > note.txt; echo ready");
    const other = sandboxFolder(path.join(dataDir, "sandboxes"), neighbour.sandboxId);
    const otherBox = findBox(other.box)!;
    expect(otherBox.alive()).toBe(true);
    const journal = path.join(dataDir, "cosmos", "journal.jsonl");
    expect(fs.existsSync(journal)).toBe(true);

    // The store and the hub listen on loopback, which the sandbox shares: each must want a key it never sees.
    const storeUrl = new URL(await platform.store.database.client.getWriteEndpoint());
    const hubUrl = new URL(platform.channel.platform.service.endpoint);
    const fetchOk = (url: string, method = "GET") => `node -e "fetch('${url}', { method: '${method}' }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`;

    const script = [
      TRY,
      `attempt store-api ${fetchOk(new URL("/dbs", storeUrl).href)}`,
      `attempt hub-rest-api ${fetchOk(new URL("/api/hubs/discoparrot/:send?api-version=2024-01-01", hubUrl).href, "POST")}`,
      `attempt auth-secret cat '${dataDir}/auth-secret'`,
      `attempt data-dir ls '${dataDir}'`,
      `attempt store-journal cat '${journal}'`,
      `attempt platform-environ cat /proc/${process.pid}/environ`,
      `attempt any-environ-canary sh -c 'cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n" | grep -q ${CANARY_NAME}'`,
      `attempt own-environ-canary sh -c 'env | grep -q ${CANARY_NAME}'`,
      `attempt see-platform-process sh -c 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " " | grep -q "vit[e]st"'`, // bracketed, so the script's own command line does not match
      `attempt see-other-sandbox-process sh -c 'cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n" | grep -q ${neighbour.sandboxId}'`,
      `attempt signal-platform kill -0 ${process.pid}`,
      `attempt signal-other-sandbox kill -0 ${otherBox.pid}`,
      `attempt other-sandbox-folder ls '${other.base}'`,
      `attempt other-sandbox-workspace cat '${other.workspace}/note.txt'`,
      `attempt other-sandbox-token cat '${other.accessUrl}'`,
      `attempt sandboxes-root ls '${path.dirname(other.base)}'`,
      `attempt write-usr touch /usr/pwned`,
      `attempt write-etc sh -c 'echo x >> /etc/passwd'`,
      `attempt write-root touch /pwned`,
      `attempt write-sidecar sh -c 'echo x >> /opt/discoparrot/sidecar.cjs'`,
      `attempt write-own-token sh -c 'echo x > /run/discoparrot/access-url'`,
      `attempt plant-link ln -s /etc/passwd /run/discoparrot/access-url.next`,
      `attempt write-data-dir touch '${dataDir}/pwned'`,
      `attempt write-other-sandbox touch '${other.workspace}/pwned'`,
      // Every writable tmpfs is capped: 100 MiB does not fit in the home or /dev/shm (64 MiB), nor /tmp is writable past 256 MiB.
      `attempt fill-home sh -c 'dd if=/dev/zero of=$HOME/fill bs=1M count=100'`,
      `attempt fill-shm sh -c 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=100'`,
      `attempt fill-tmp sh -c 'dd if=/dev/zero of=/tmp/fill bs=1M count=300'`,
      `attempt write-dev sh -c 'echo x > /dev/pwned'`,
      `rm -f $HOME/fill /dev/shm/fill /tmp/fill`,
      `attempt raise-process-limit sh -c 'ulimit -H -u unlimited'`,
      // Past the class's limits: a sparse write 3 GiB in (over 2 GiB), and 700 processes (over 512).
      `attempt exceed-file-size sh -c 'dd if=/dev/zero of=/workspace/big bs=1 count=1 seek=3G'`,
      // In a group of its own, ended with builtins only (no fork is possible until it is gone).
      `attempt exceed-process-limit setsid -w sh -c 'echo $$ > /tmp/bomb.pid; for i in $(seq 1 700); do sleep 30 & done; wait'`,
      `read bomb < /tmp/bomb.pid; kill -9 -$bomb; while kill -0 -$bomb 2>/dev/null; do :; done`,
      // Positive controls: the script ran, and a sandbox can use what is its own.
      `attempt own-workspace sh -c 'echo mine > /workspace/mine.txt && cat /workspace/mine.txt'`,
      `attempt own-tmp sh -c 'echo mine > /tmp/mine.txt'`,
      `attempt own-dev-null sh -c 'echo discarded > /dev/null'`,
      // It does reach the hub: the one thing a sandbox dials.
      `attempt own-network node -e "require('net').connect(${hubUrl.port}, '${hubUrl.hostname}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"`,
      `echo "UID $(id -u)"`,
      `grep -E '^(CapEff|NoNewPrivs):' /proc/self/status`,
      `echo "HOSTNAME $(cat /proc/sys/kernel/hostname)"`,
      `echo "PROCESSES $(ls -d /proc/[0-9]* | wc -l)"`,
      `grep -E '^Max (processes|file size) ' /proc/self/limits`,
    ].join("\n");
    const { output } = await runTurn("Default", script);
    const seen = verdicts(output);

    expect(seen, output).toEqual({
      "store-api": "BLOCKED",
      "hub-rest-api": "BLOCKED",
      "auth-secret": "BLOCKED",
      "data-dir": "BLOCKED",
      "store-journal": "BLOCKED",
      "platform-environ": "BLOCKED",
      "any-environ-canary": "BLOCKED",
      "own-environ-canary": "BLOCKED",
      "see-platform-process": "BLOCKED",
      "see-other-sandbox-process": "BLOCKED",
      "signal-platform": "BLOCKED",
      "signal-other-sandbox": "BLOCKED",
      "other-sandbox-folder": "BLOCKED",
      "other-sandbox-workspace": "BLOCKED",
      "other-sandbox-token": "BLOCKED",
      "sandboxes-root": "BLOCKED",
      "write-usr": "BLOCKED",
      "write-etc": "BLOCKED",
      "write-root": "BLOCKED",
      "write-sidecar": "BLOCKED",
      "write-own-token": "BLOCKED",
      "plant-link": "BLOCKED",
      "write-data-dir": "BLOCKED",
      "write-other-sandbox": "BLOCKED",
      "fill-home": "BLOCKED",
      "fill-shm": "BLOCKED",
      "fill-tmp": "BLOCKED",
      "write-dev": "BLOCKED",
      "raise-process-limit": "BLOCKED",
      "exceed-file-size": "BLOCKED",
      "exceed-process-limit": "BLOCKED",
      "own-workspace": "REACHED",
      "own-tmp": "REACHED",
      "own-dev-null": "REACHED",
      "own-network": "REACHED",
    });
    expect(output).toMatch(/^UID 1000$/m);
    expect(output).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(output).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(output).toMatch(/^HOSTNAME sandbox$/m);
    // Its own PID namespace: bwrap's init, the sidecar, the shell and a few of the script's own.
    expect(Number(/^PROCESSES (\d+)$/m.exec(output)?.[1])).toBeLessThan(12);
    // The Small class: 512 processes and 2 GiB per file.
    expect(output).toMatch(/^Max processes\s+512\s+512\s+processes\s*$/m);
    expect(output).toMatch(/^Max file size\s+2147483648\s+2147483648\s+bytes\s*$/m);

    // Nothing it tried to write appeared on the machine, and the neighbour's files are intact.
    for (const planted of ["/usr/pwned", "/pwned", path.join(dataDir, "pwned"), path.join(other.workspace, "pwned")]) expect(fs.existsSync(planted)).toBe(false);
    expect(fs.readFileSync(path.join(other.workspace, "note.txt"), "utf8")).toBe("neighbour\n");
    expect(fs.readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe(`secret-${canary}`);
    expect(otherBox.alive()).toBe(true);
  }, 120_000);

  it("destroy ends every process the sandbox started, however it detached, and leaves no folder", async () => {
    const { sandboxId } = await runTurn(
      "Detacher",
      // The turn waits until the detached process is in a session of its own, so the turn's end does not race its setsid.
      "setsid sh -c 'echo $$ > /tmp/detached.pid; exec sleep 600' </dev/null >/dev/null 2>&1 & while [ ! -s /tmp/detached.pid ]; do :; done; echo detached",
    );
    const folder = sandboxFolder(path.join(dataDir, "sandboxes"), sandboxId);
    const box = findBox(folder.box)!;
    // init, the sidecar, and the sleep that left the turn's process group (the turn's own group ends with the turn)
    expect(processesIn(box.pidNamespace)).toBeGreaterThanOrEqual(3);

    const { etag: _etag, ...sandbox } = (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))!;
    await provider.destroy(sandbox);
    await eventually(async () => processesIn(box.pidNamespace), (count) => count === 0, 5_000);
    expect(processesIn(box.pidNamespace)).toBe(0);
    expect(fs.existsSync(folder.base)).toBe(false);
  }, 60_000);

  it.runIf(process.getuid?.() === 0)("as root, destroy ends a sandbox whose box.json was never written (its uid is its own)", async () => {
    const { sandboxId } = await runTurn("Unrecorded", "echo started");
    const folder = sandboxFolder(path.join(dataDir, "sandboxes"), sandboxId);
    const { pidNamespace } = findBox(folder.box)!;
    fs.rmSync(folder.box); // as if the platform died right after starting it
    expect(processesIn(pidNamespace)).toBeGreaterThanOrEqual(2);
    const { etag: _etag, ...sandbox } = (await sandboxStore(platform.store).get(platform.workspaceId, sandboxId))!;
    await provider.destroy(sandbox);
    await eventually(async () => processesIn(pidNamespace), (count) => count === 0, 5_000);
    expect(processesIn(pidNamespace)).toBe(0);
  }, 60_000);

  it("outlives the platform process that started it", async () => {
    const root = path.join(dataDir, "orphans");
    // Another Node process creates a sandbox and exits, as a platform does when it restarts.
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "testing", "create-and-exit.ts"), root], { encoding: "utf8", timeout: 30_000 });
    expect(child.status, child.stderr).toBe(0);
    const sandbox = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Parameters<LocalProcessProvider["inspect"]>[0];
    const survivor = new LocalProcessProvider(root);
    expect((await survivor.inspect(sandbox)).state).toBe("running");
    await survivor.destroy(sandbox);
    expect((await survivor.inspect(sandbox)).state).toBe("missing");
  }, 60_000);

  it("ends a sandbox left running bare by a version before the boundary, when it is destroyed after an upgrade", async () => {
    const root = path.join(dataDir, "upgraded");
    const sandbox = JSON.parse(JSON.stringify({ ...(await sandboxStore(platform.store).listLive())[0], id: "sbx_fromtheoldversion0" })) as Parameters<LocalProcessProvider["destroy"]>[0];
    fs.mkdirSync(path.join(root, sandbox.id, "workspace"), { recursive: true });
    const bare = spawn("sleep", ["600"], { detached: true, stdio: "ignore", cwd: path.join(root, sandbox.id, "workspace") });
    bare.unref();
    fs.writeFileSync(path.join(root, sandbox.id, "pid"), String(bare.pid));
    const upgraded = new LocalProcessProvider(root);
    expect((await upgraded.inspect(sandbox)).state).toBe("missing");
    await upgraded.destroy(sandbox);
    await eventually(async () => bare.exitCode !== null || bare.signalCode !== null, Boolean, 5_000);
    expect(bare.signalCode).toBe("SIGKILL");
    expect(fs.existsSync(path.join(root, sandbox.id))).toBe(false);

    // A pid file naming a process that is not that sandbox's (a recycled pid) kills nothing.
    const stranger = spawn("sleep", ["600"], { detached: true, stdio: "ignore" });
    stranger.unref();
    fs.mkdirSync(path.join(root, sandbox.id, "workspace"), { recursive: true });
    fs.writeFileSync(path.join(root, sandbox.id, "pid"), String(stranger.pid));
    await upgraded.destroy(sandbox);
    expect(stranger.exitCode === null && stranger.signalCode === null).toBe(true);
    stranger.kill("SIGKILL");
  }, 30_000);

  it("refuses a managed launch where no boundary can be drawn, naming the fix, and starts nothing", async () => {
    const bare = new LocalProcessProvider(path.join(dataDir, "never"), { searchPath: fs.mkdtempSync(path.join(dataDir, "empty-path-")) });
    const access = await resolveWorkspaceAccess(platform.store, platform.owner.owner, platform.workspaceId, "runs.start");
    const runsBefore = (await runStore(platform.store).list(platform.workspaceId, { limit: 100 })).items.length;
    const error = await startRun({ ...deps, providers: { managed: bare } }, { actor: platform.owner.owner, access, profileId: await profileId("Default"), input: "echo bare" }).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string; options: { reason?: string } },
    );
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", options: { reason: "isolation_unavailable" } });
    expect(error?.message).toMatch(/not installed.*apt-get install bubblewrap/);
    expect((await runStore(platform.store).list(platform.workspaceId, { limit: 100 })).items).toHaveLength(runsBefore);
    expect(await bare.list()).toEqual([]);
  }, 30_000);
});

/** How many processes on this machine are in the PID namespace `inode`. */
function processesIn(inode: number): number {
  let count = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/ns/pid`) === `pid:[${inode}]`) count += 1;
    } catch {
      // Gone meanwhile.
    }
  }
  return count;
}
