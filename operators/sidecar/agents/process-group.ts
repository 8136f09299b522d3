import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";

/**
 * One child process in its own process group (`detached`), so ending it ends everything it
 * started: a shell script's `sleep`, an agent CLI's own children. Its output arrives as text, as
 * it comes (a UTF-8 character split across reads is held until it is whole). Aborting `signal`
 * sends the group SIGTERM, then SIGKILL after `killGraceMs`.
 */
export interface GroupExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessGroupOptions {
  command: string;
  args: string[];
  cwd: string;
  signal: AbortSignal;
  /** Written to stdin, which is then closed; stdin is closed at once without it. */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  killGraceMs?: number;
  onOutput(stream: "stdout" | "stderr", text: string): void;
}

const DEFAULT_KILL_GRACE_MS = 2_000;

export function runProcessGroup(options: ProcessGroupOptions): Promise<GroupExit> {
  const { signal, killGraceMs = DEFAULT_KILL_GRACE_MS } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = () => {
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), killGraceMs);
    };

    for (const stream of ["stdout", "stderr"] as const) {
      const decoder = new StringDecoder("utf8");
      child[stream].on("data", (data: Buffer) => {
        const text = decoder.write(data);
        if (text) options.onOutput(stream, text);
      });
      child[stream].on("end", () => {
        const rest = decoder.end();
        if (rest) options.onOutput(stream, rest);
      });
    }
    // A process that exits without reading its input must not crash the sidecar with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");

    child.on("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
    // `close`, not `exit`: it comes after the output streams have ended, so no output follows it.
    child.on("close", (exitCode, exitSignal) => {
      signal.removeEventListener("abort", onAbort);
      clearTimeout(killTimer);
      // Whatever the shell left behind in its group (a backgrounded job) goes with it.
      killGroup("SIGKILL");
      resolve({ exitCode, signal: exitSignal });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}
