import path from "node:path";
import { BoundaryError, launchInBoundary } from "./boundary-launch";
import { sandboxLimits } from "./resource-limits";
import { prepareSandboxFolder, removeSandboxFolder, sandboxFolder } from "./sandbox-folder";
import { hostUidFor } from "./sandbox-host-user";

/** Where bwrap and prlimit are looked for: the system's directories, never the platform's PATH. */
export const SYSTEM_SEARCH_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

/** What to tell an operator whose machine cannot isolate sandboxes: the fix, not only the failure. */
export const ISOLATION_FIX =
  "Managed sandboxes run inside bubblewrap (0.8 or later) and need it and prlimit installed (Debian: apt-get install bubblewrap util-linux) and unprivileged user namespaces allowed " +
  "(sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; where AppArmor restricts them, kernel.apparmor_restrict_unprivileged_userns=0 or a profile for bwrap; in a container, run the platform with " +
  "--security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined). See the README's security model.";

/**
 * Whether this machine can draw a sandbox's boundary: a throwaway sandbox is started exactly as a
 * real one is (the same prlimit limits, bwrap options, mounts and uid; see boundary-launch.ts),
 * running `node -e 0` instead of the sidecar, and must exit cleanly. Returns null when it can, or
 * a sentence naming what is missing and how to fix it. Without a boundary a managed launch is
 * refused; it never runs bare.
 */
export async function checkIsolation({ root, searchPath, sidecarBundle }: { root: string; searchPath: string; sidecarBundle: string }): Promise<string | null> {
  const probeRoot = path.join(root, ".probe");
  const folder = sandboxFolder(probeRoot, `probe-${process.pid}`);
  const hostUid = hostUidFor(probeRoot, path.basename(folder.base));
  try {
    prepareSandboxFolder(folder, hostUid);
    const { child, stderr } = await launchInBoundary({
      folder,
      hostUid,
      limits: sandboxLimits("small"),
      sidecarBundle,
      env: { PATH: "/usr/bin:/bin" },
      command: (node) => [node, "-e", "0"],
      searchPath,
      output: "pipe",
    });
    child.stdout?.resume();
    const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once("close", resolve)));
    if (code !== 0) return `A process inside a sandbox's boundary exited with ${code}${stderr() ? ` (${stderr().trim().split("\n")[0]})` : ""}. ${ISOLATION_FIX}`;
    return null;
  } catch (error) {
    if (error instanceof BoundaryError && error.missingProgram) return `prlimit (util-linux) or bubblewrap (bwrap) is not installed on the platform's machine. ${ISOLATION_FIX}`;
    if (error instanceof BoundaryError && /prlimit/.test(error.detail) && /No such file|not found/.test(error.detail)) {
      return `bubblewrap (bwrap) is not installed on the platform's machine. ${ISOLATION_FIX}`;
    }
    const detail = error instanceof Error ? error.message : String(error);
    return `bubblewrap cannot create a sandbox here (${detail}). ${ISOLATION_FIX}`;
  } finally {
    removeSandboxFolder(folder);
  }
}
