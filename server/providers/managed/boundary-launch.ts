import { type ChildProcess, spawn } from "node:child_process";
import { bubblewrapArgs, bwrapArgsPayload } from "./bubblewrap";
import { prlimitArgs, type SandboxLimits } from "./resource-limits";
import { startTicks } from "../../process-facts";
import { firstChildOf, readBox, type Box } from "./sandbox-box";
import type { SandboxFolder } from "./sandbox-folder";

/** The fds bwrap gets beside stdio: where it writes its info, where it reads its options. */
const INFO_FD = 3;
const ARGS_FD = 4;

export interface BoundaryLaunch {
  folder: SandboxFolder;
  /** The machine's uid it runs as when the platform is root (see sandbox-host-user.ts). */
  hostUid: number | undefined;
  limits: SandboxLimits;
  sidecarBundle: string;
  env: Record<string, string>;
  /** What runs inside; the sidecar unless given (the preflight's probe runs `node -e 0`). */
  command?: (nodePath: string) => string[];
  /** Where prlimit and bwrap are found. */
  searchPath: string;
  /** Where the sandbox's stdout and stderr go: the sidecar log's fd, or a pipe for the probe. */
  output: number | "pipe";
}

/**
 * Starts a process inside a sandbox's boundary, exactly as every managed sandbox is started
 * (prlimit's limits, then bubblewrap's namespaces and mounts, as the sandbox's own uid), detached
 * so it outlives the platform. Resolves once bwrap reported which process is the sandbox, or
 * rejects with bwrap's own words when it could not draw the boundary. The preflight's probe goes
 * through here too, so a machine that passes it can launch.
 */
export async function launchInBoundary(launch: BoundaryLaunch): Promise<{ box: Box; child: ChildProcess; stderr: () => string }> {
  const { options, command } = bubblewrapArgs({
    folder: launch.folder,
    sidecarBundle: launch.sidecarBundle,
    nodePath: process.execPath,
    tmpBytes: launch.limits.tmpBytes,
    infoFd: INFO_FD,
    env: launch.env,
  });
  const inside = launch.command ? launch.command(process.execPath) : command;
  const child = spawn("prlimit", [...prlimitArgs(launch.limits), "--", "bwrap", "--args", String(ARGS_FD), "--", ...inside], {
    // Its own session, detached from the platform: it must outlive a platform restart.
    detached: true,
    stdio: ["ignore", launch.output, launch.output, "pipe", "pipe"],
    // bwrap's own environment; what the sandbox gets is set by --clearenv/--setenv.
    env: { PATH: launch.searchPath, NODE_ENV: "production" },
    ...(launch.hostUid === undefined ? {} : { uid: launch.hostUid, gid: launch.hostUid }),
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
  const argsPipe = child.stdio[ARGS_FD] as NodeJS.WritableStream;
  // A bwrap (or prlimit) that never started reads nothing: the write fails with EPIPE, which must
  // not become an unhandled error; why it did not start is told below, from its exit and stderr.
  argsPipe.on("error", () => undefined);
  argsPipe.end(bwrapArgsPayload(options));
  const info = child.stdio[INFO_FD] as NodeJS.ReadableStream & { unref?: () => void };
  const box = await new Promise<Box>((resolve, reject) => {
    let text = "";
    info.setEncoding("utf8");
    info.on("data", (chunk: string) => (text += chunk));
    info.once("end", () => {
      // A program that never started: its "error" event says which.
      if (child.pid === undefined) return;
      try {
        resolve(readBox(text, launch.hostUid));
      } catch {
        // bwrap exits at once when it cannot draw the boundary; its stderr says why.
        child.once("close", () => reject(new BoundaryError(stderr.trim().split("\n")[0] ?? "")));
        if (child.exitCode !== null || child.signalCode !== null) reject(new BoundaryError(stderr.trim().split("\n")[0] ?? ""));
      }
    });
    // ENOENT, or EACCES for a search path the sandbox's uid may not read: no program to run.
    child.once("error", (error) => reject(new BoundaryError(error.message, ["ENOENT", "EACCES"].includes((error as NodeJS.ErrnoException).code ?? ""))));
  });
  info.unref?.();
  const sidecarPid = await firstChildOf(box.pid);
  const sidecarStarted = sidecarPid === undefined ? undefined : startTicks(sidecarPid);
  return { box: sidecarPid === undefined ? box : { ...box, sidecarPid, ...(sidecarStarted === undefined ? {} : { sidecarStarted }) }, child, stderr: () => stderr };
}

export class BoundaryError extends Error {
  constructor(
    readonly detail: string,
    readonly missingProgram = false,
  ) {
    super(detail || "the boundary did not start");
    this.name = "BoundaryError";
  }
}
