import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SIDECAR_ENV, TEMPLATES, type TSandbox } from "@/prisma-free-schema";
import { log } from "../../log";
import type { SandboxInspection, SandboxProvider } from "../sandbox-provider";
import { sidecarCommand } from "./sidecar-command";

const STOP_GRACE_MS = 3_000;
/** How much of a stopped sidecar's log a launch failure quotes. */
const PROBLEM_LOG_LINES = 10;
const PROBLEM_MAX_CHARS = 1_000;

/**
 * Managed compute's embedded backend: each sandbox is a local process — the same sidecar every
 * sandbox runs — with its own folder under DATA_DIR/sandboxes/<id> (workspace, event log, access
 * URL file, its log) and its own process group, so destroy ends everything it started. The pid
 * is kept in the folder, so a restarted platform can still inspect and destroy sandboxes it
 * started before. (Azure Container Apps will sit behind the same interface.)
 */
export class LocalProcessProvider implements SandboxProvider {
  readonly kind = "managed" as const;

  /** What the last inspect found wrong, per sandbox. */

  constructor(private readonly root: string) {}

  private folder(sandboxId: string) {
    const base = path.join(this.root, sandboxId);
    return {
      base,
      workspace: path.join(base, "workspace"),
      accessUrl: path.join(base, "access-url"),
      eventLog: path.join(base, "events.jsonl"),
      sidecarLog: path.join(base, "sidecar.log"),
      pid: path.join(base, "pid"),
    };
  }

  async create(sandbox: TSandbox, accessUrl: string): Promise<void> {
    const folder = this.folder(sandbox.id);
    fs.mkdirSync(folder.workspace, { recursive: true, mode: 0o700 });
    fs.writeFileSync(folder.accessUrl, accessUrl, { mode: 0o600 });
    const output = fs.openSync(folder.sidecarLog, "a", 0o600);
    const { command, args, env } = sidecarCommand();
    const template = TEMPLATES[sandbox.definition.template];
    const child = spawn(command, args, {
      cwd: folder.workspace,
      // Its own process group: destroy signals the group, so nothing the agent started survives.
      detached: true,
      stdio: ["ignore", output, output],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: folder.workspace,
        LANG: process.env.LANG ?? "C.UTF-8",
        NODE_ENV: "production",
        ...env,
        [SIDECAR_ENV.sandboxId]: sandbox.id,
        [SIDECAR_ENV.accessUrlFile]: folder.accessUrl,
        [SIDECAR_ENV.workspaceDir]: folder.workspace,
        [SIDECAR_ENV.eventLog]: folder.eventLog,
        [SIDECAR_ENV.agent]: template.agent,
      },
    });
    fs.closeSync(output);
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    fs.writeFileSync(folder.pid, String(child.pid));
    child.once("exit", (code, signal) => log.info("sandbox.process_exited", { sandboxId: sandbox.id, code, signal }));
    child.unref();
  }

  async destroy(sandbox: TSandbox): Promise<void> {
    const folder = this.folder(sandbox.id);
    const pid = this.pidOf(sandbox.id);
    if (pid !== undefined && alive(pid)) {
      signalGroup(pid, "SIGTERM");
      const deadline = Date.now() + STOP_GRACE_MS;
      while (alive(pid) && Date.now() < deadline) await sleep(50);
      if (alive(pid)) signalGroup(pid, "SIGKILL");
    }
    // The group may hold children that outlived the sidecar: end them too.
    if (pid !== undefined) signalGroup(pid, "SIGKILL");
    fs.rmSync(folder.base, { recursive: true, force: true });
  }

  async inspect(sandbox: TSandbox): Promise<SandboxInspection> {
    const pid = this.pidOf(sandbox.id);
    const state = pid === undefined ? "missing" : alive(pid) ? "running" : "stopped";
    return { state, problem: state === "running" ? null : state === "missing" ? "its process was never started or is gone" : this.exitedProblem(sandbox.id) };
  }

  async list(): Promise<string[]> {
    if (!fs.existsSync(this.root)) return [];
    return fs.readdirSync(this.root).filter((name) => name.startsWith("sbx_"));
  }

  async refreshAccess(sandbox: TSandbox, accessUrl: string): Promise<void> {
    const file = this.folder(sandbox.id).accessUrl;
    // Written whole and renamed into place: the sidecar never reads half a URL.
    fs.writeFileSync(`${file}.next`, accessUrl, { mode: 0o600 });
    fs.renameSync(`${file}.next`, file);
  }

  private exitedProblem(sandboxId: string): string {
    let tail = "";
    try {
      tail = fs.readFileSync(this.folder(sandboxId).sidecarLog, "utf8").trimEnd().split("\n").slice(-PROBLEM_LOG_LINES).join("\n").slice(-PROBLEM_MAX_CHARS);
    } catch {
      // No log: say only that it exited.
    }
    return tail ? `its sidecar exited; the last lines it printed:\n${tail}` : "its sidecar exited without printing anything";
  }

  private pidOf(sandboxId: string): number | undefined {
    try {
      const pid = Number(fs.readFileSync(this.folder(sandboxId).pid, "utf8"));
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
