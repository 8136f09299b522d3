import { spawn } from "node:child_process";

/** Where bwrap and prlimit are looked for: the system's directories, never the platform's PATH. */
export const SYSTEM_SEARCH_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

/** What to tell an operator whose machine cannot isolate sandboxes: the fix, not only the failure. */
export const ISOLATION_FIX =
  "Managed sandboxes run inside bubblewrap and need it installed (Debian: apt-get install bubblewrap util-linux) and unprivileged user namespaces allowed " +
  "(sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, run the platform with " +
  "--security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined). See the README's security model.";

/**
 * Whether this machine can draw a sandbox's boundary: bubblewrap and prlimit present, and a
 * throwaway namespace with the same kinds of isolation a sandbox gets actually starts. Returns
 * null when it can, or a sentence naming what is missing and how to fix it. Without a boundary
 * a managed launch is refused; it never runs bare.
 */
export async function checkIsolation(searchPath = SYSTEM_SEARCH_PATH): Promise<string | null> {
  const probe = await run(searchPath, "bwrap", [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--uid",
    "1000",
    "--gid",
    "1000",
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/bin",
    "/bin",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    "--",
    "/usr/bin/true",
  ]);
  if (probe.missing) return `bubblewrap (bwrap) is not installed on the platform's machine. ${ISOLATION_FIX}`;
  if (probe.code !== 0) return `bubblewrap cannot create a sandbox here (${probe.stderr.trim().split("\n")[0] || `exit ${probe.code}`}). ${ISOLATION_FIX}`;
  const prlimit = await run(searchPath, "prlimit", ["--nproc=64", "--", "/usr/bin/true"]);
  if (prlimit.missing || prlimit.code !== 0) return `prlimit (util-linux) is missing or cannot set limits, so a sandbox's resource class cannot be enforced. ${ISOLATION_FIX}`;
  return null;
}

function run(searchPath: string, command: string, args: string[]): Promise<{ missing: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env: { PATH: searchPath, NODE_ENV: "production" } });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ missing: error.code === "ENOENT", code: null, stderr: error.message }));
    child.once("close", (code) => resolve({ missing: false, code, stderr }));
  });
}
