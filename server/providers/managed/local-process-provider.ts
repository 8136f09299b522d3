import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SIDECAR_ENV, TEMPLATES, type TSandbox } from "@/prisma-free-schema";
import { AppError } from "../../errors";
import { log } from "../../log";
import type { SandboxInspection, SandboxProvider } from "../sandbox-provider";
import { launchInBoundary } from "./boundary-launch";
import { checkIsolation, SYSTEM_SEARCH_PATH } from "./isolation-check";
import { sandboxLimits } from "./resource-limits";
import { INSIDE, prepareSandboxFolder, removeSandboxFolder, sandboxFolder, writeAccessUrl } from "./sandbox-folder";
import { sidecarBundle } from "./sidecar-command";
import { hostUidFor, killProcessesOf, openWayToSandboxes, readHostUid, stageSidecar } from "./sandbox-host-user";
import { findBox, signalBox } from "./sandbox-box";

const STOP_GRACE_MS = 3_000;
/** How much of a stopped sidecar's log a launch failure quotes. */
const PROBLEM_LOG_LINES = 10;
const PROBLEM_MAX_CHARS = 1_000;

/**
 * Managed compute's embedded backend: each sandbox is the sidecar every sandbox runs, started
 * inside its own Linux boundary (bubblewrap: see `bubblewrap.ts`) with the resource class's
 * limits, and its own folder under DATA_DIR/sandboxes/<id> of which it sees only its workspace,
 * its state and its access URL. Which process is the sandbox is kept in the folder (as the
 * namespace's first process and the namespace itself), so a restarted platform still inspects
 * and destroys sandboxes it started before, and a recycled pid is never mistaken for one.
 * (Azure Container Apps will sit behind the same interface.)
 */
export class LocalProcessProvider implements SandboxProvider {
  readonly kind = "managed" as const;
  /** Set once a check passed: the machine does not lose bubblewrap while running. A failure is checked again next time. */
  private isolationChecked = false;

  private readonly searchPath: string;
  /** Where the current sidecar bundle was staged, and which bundle that was. */
  private staged: { version: string; path: string } | undefined;

  constructor(
    private readonly root: string,
    /** Where bwrap and prlimit are found (tests point it at a folder without them). */
    options: { searchPath?: string } = {},
  ) {
    this.searchPath = options.searchPath ?? SYSTEM_SEARCH_PATH;
  }

  async preflight(): Promise<string | null> {
    if (this.isolationChecked) return null;
    const problem = openWayToSandboxes(this.root) ?? (await checkIsolation({ root: this.root, searchPath: this.searchPath, sidecarBundle: await this.sidecar() }));
    this.isolationChecked = problem === null;
    return problem;
  }

  async create(sandbox: TSandbox, accessUrl: string): Promise<void> {
    const problem = await this.preflight();
    if (problem) throw new AppError("PRECONDITION_FAILED", problem, { reason: "isolation_unavailable" });
    const folder = sandboxFolder(this.root, sandbox.id);
    const hostUid = hostUidFor(this.root, sandbox.id);
    prepareSandboxFolder(folder, hostUid);
    writeAccessUrl(folder, accessUrl, hostUid);
    const output = fs.openSync(folder.sidecarLog, "a", 0o600);
    let launched: Awaited<ReturnType<typeof launchInBoundary>>;
    try {
      launched = await launchInBoundary({
        folder,
        hostUid,
        limits: sandboxLimits(sandbox.definition.resourceClass),
        sidecarBundle: await this.sidecar(),
        searchPath: this.searchPath,
        output,
        env: {
          PATH: "/usr/local/bin:/usr/bin:/bin",
          HOME: INSIDE.home,
          USER: "sandbox",
          LANG: "C.UTF-8",
          NODE_ENV: "production",
          [SIDECAR_ENV.sandboxId]: sandbox.id,
          [SIDECAR_ENV.accessUrlFile]: INSIDE.accessUrl,
          [SIDECAR_ENV.workspaceDir]: INSIDE.workspace,
          [SIDECAR_ENV.eventLog]: INSIDE.eventLog,
          [SIDECAR_ENV.agent]: TEMPLATES[sandbox.definition.template].agent,
        },
      });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `The sandbox's boundary did not start: ${error instanceof Error ? error.message : String(error)}. ${this.exitedProblem(sandbox.id)}`, { cause: error });
    } finally {
      fs.closeSync(output);
    }
    const { box, child } = launched;
    fs.writeFileSync(folder.box, JSON.stringify(box), { mode: 0o600 });
    child.once("exit", (code, signal) => log.info("sandbox.process_exited", { sandboxId: sandbox.id, code, signal }));
    child.unref();
  }

  /**
   * The sidecar bundle where a sandbox's own uid can read it. Staging reads and hashes the whole
   * bundle, so it is done again only when the bundle itself changed (its size or time), not per launch.
   */
  private async sidecar(): Promise<string> {
    const bundle = await sidecarBundle();
    const { size, mtimeMs } = fs.statSync(bundle);
    const version = `${bundle}:${size}:${mtimeMs}`;
    if (this.staged?.version !== version || !fs.existsSync(this.staged.path)) this.staged = { version, path: stageSidecar(this.root, bundle) };
    return this.staged.path;
  }

  async destroy(sandbox: TSandbox): Promise<void> {
    const folder = sandboxFolder(this.root, sandbox.id);
    await this.stop(folder);
    endUnboxedSandbox(folder.base);
    removeSandboxFolder(folder);
  }

  /** Its processes end; its folder (workspace, event log) stays, and `create` starts it again there. */
  async pause(sandbox: TSandbox): Promise<void> {
    await this.stop(sandboxFolder(this.root, sandbox.id));
  }

  private async stop(folder: ReturnType<typeof sandboxFolder>): Promise<void> {
    const box = findBox(folder.box);
    if (box) {
      // The sidecar gets a moment to stop; then the namespace's first process is killed, and with
      // it every process in the namespace, however it detached itself.
      const stopping = signalBox(box, "SIGTERM");
      const deadline = Date.now() + STOP_GRACE_MS;
      while (stopping() && Date.now() < deadline) await sleep(50);
      box.kill();
    }
    // As root the sandbox's uid is its own: whatever still runs as it is the sandbox, even one
    // whose box.json was never written (the platform died between starting it and writing it).
    const hostUid = readHostUid(folder.base);
    if (hostUid !== undefined) killProcessesOf(hostUid);
  }

  async inspect(sandbox: TSandbox): Promise<SandboxInspection> {
    const box = findBox(sandboxFolder(this.root, sandbox.id).box);
    // A sidecar gone while what it started still runs is a sandbox that stopped: destroying it ends the rest.
    const state = box === undefined ? "missing" : box.sidecarAlive() ? "running" : "stopped";
    return { state, problem: state === "running" ? null : state === "missing" ? "its process was never started or is gone" : this.exitedProblem(sandbox.id) };
  }

  async list(): Promise<string[]> {
    if (!fs.existsSync(this.root)) return [];
    return fs.readdirSync(this.root).filter((name) => name.startsWith("sbx_"));
  }

  async refreshAccess(sandbox: TSandbox, accessUrl: string): Promise<void> {
    const folder = sandboxFolder(this.root, sandbox.id);
    writeAccessUrl(folder, accessUrl, findBox(folder.box)?.hostUid);
  }

  private exitedProblem(sandboxId: string): string {
    let tail = "";
    try {
      tail = fs.readFileSync(sandboxFolder(this.root, sandboxId).sidecarLog, "utf8").trimEnd().split("\n").slice(-PROBLEM_LOG_LINES).join("\n").slice(-PROBLEM_MAX_CHARS);
    } catch {
      // No log: say only that it exited.
    }
    return tail ? `its sidecar exited; the last lines it printed:\n${tail}` : "its sidecar exited without printing anything";
  }
}

/**
 * A sandbox started before managed sandboxes had a boundary ran bare in its own process group and
 * kept that group's pid in its folder; after an upgrade it is found missing and destroyed, and the
 * bare process must end with it rather than run on outside any boundary.
 */
function endUnboxedSandbox(base: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(base, "pid"), "utf8"));
    // Only the process that file named: it ran in this sandbox's workspace. A pid the kernel has
    // given to something else since (a reboot, a long gap) is left alone.
    if (!Number.isInteger(pid) || pid <= 1 || fs.readlinkSync(`/proc/${pid}/cwd`) !== path.join(base, "workspace")) return;
    process.kill(-pid, "SIGKILL");
  } catch {
    // No such file, or already gone.
  }
}
