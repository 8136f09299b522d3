import fs from "node:fs";
import { z } from "zod";
import { pidNamespace, startTicks } from "../../process-facts";

/**
 * Which process is a sandbox, as the platform's machine sees it: the first process of the
 * sandbox's PID namespace, and that namespace. Both are kept, so that a pid the kernel recycled
 * for some other process is never taken for the sandbox, inspected as running or killed.
 */
const ZBwrapInfo = z.object({ "child-pid": z.number().int().min(2), "pid-namespace": z.number().int().positive() });
const ZBox = z.object({
  pid: z.number().int().min(2),
  pidNamespace: z.number().int().positive(),
  /** The machine's uid it runs as, when the platform is root (see sandbox-host-user.ts). */
  hostUid: z.number().int().positive().optional(),
  /**
   * The sidecar: the process the namespace's first process (bubblewrap's init) started. The init
   * outlives it while anything the agent started still runs, so whether the sandbox is alive is
   * whether its sidecar is. Absent for sandboxes started before it was kept.
   */
  sidecarPid: z.number().int().min(2).optional(),
  /** When the sidecar started (clock ticks since boot): its pid, freed and handed to another process of the sandbox, is not taken for it. */
  sidecarStarted: z.string().regex(/^\d+$/).optional(),
});
export type Box = z.infer<typeof ZBox>;

/** Reads what bubblewrap writes to its info fd. Throws when it wrote nothing usable (it failed to start). */
export function readBox(info: string, hostUid: number | undefined): Box {
  const parsed = ZBwrapInfo.parse(JSON.parse(info));
  return { pid: parsed["child-pid"], pidNamespace: parsed["pid-namespace"], ...(hostUid === undefined ? {} : { hostUid }) };
}

export interface BoxHandle extends Box {
  /** Whether the namespace still has its first process (something of the sandbox runs). */
  alive(): boolean;
  /** Whether its sidecar runs (when its pid was kept; otherwise whether the namespace is alive). */
  sidecarAlive(): boolean;
  /** Kills the namespace's first process: the kernel then kills every process in the namespace. */
  kill(): void;
}

export function findBox(file: string): BoxHandle | undefined {
  let box: Box;
  try {
    box = ZBox.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
  const alive = () => isSandbox(box);
  return {
    ...box,
    alive,
    sidecarAlive: () =>
      box.sidecarPid === undefined
        ? alive()
        : inNamespace(box.sidecarPid, box.pidNamespace) && (box.sidecarStarted === undefined || startTicks(box.sidecarPid) === box.sidecarStarted),
    kill: () => {
      if (alive()) send(box.pid, "SIGKILL");
    },
  };
}

/**
 * Signals the processes the namespace's first process started (the sidecar): bwrap's own init
 * does not pass signals on. Returns a check for whether any of them still runs.
 */
export function signalBox(box: BoxHandle, signal: NodeJS.Signals): () => boolean {
  if (!box.alive()) return () => false;
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${box.pid}/task/${box.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Gone meanwhile.
  }
  for (const child of children) send(child, signal);
  return () => box.alive() && children.some((child) => fs.existsSync(`/proc/${child}`));
}

function isSandbox(box: Box): boolean {
  return inNamespace(box.pid, box.pidNamespace);
}

/** Whether `pid` runs in the PID namespace `namespace`: a pid the kernel recycled for another process does not. */
function inNamespace(pid: number, namespace: number): boolean {
  return pidNamespace(pid) === `pid:[${namespace}]`;
}

/** The first process `pid` started, as soon as it has one (bubblewrap's init starts the sidecar at once); undefined if none within `ms`. */
export async function firstChildOf(pid: number, ms = 2_000): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const [first] = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      if (first) return first;
    } catch {
      return undefined;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
