import { INSIDE, SANDBOX_UID, type SandboxFolder } from "./sandbox-folder";

/**
 * The Linux boundary a managed sandbox runs inside, drawn with bubblewrap
 * (https://github.com/containers/bubblewrap): its own user, PID, IPC, UTS, cgroup and mount
 * namespaces; uid 1000 with no capabilities and no new privileges; a fresh /proc that shows only
 * its own processes; a root filesystem holding the system directories and the sidecar read-only,
 * its own workspace and state read-write and a private /tmp, and nothing else of the machine:
 * no DATA_DIR, no other sandbox, no platform source, no /home, /root or /var.
 *
 * It shares the network namespace: the sidecar dials out to the hub, which in embedded mode
 * listens on loopback. Everything else that listens there (the embedded store, the hub's REST
 * API, the admin API) demands a key the sandbox never sees.
 *
 * No --die-with-parent: a sandbox outlives a platform restart, and destroy ends it by killing
 * its namespace's first process, which takes every process in the namespace with it.
 *
 * The options reach bwrap through a pipe (`--args FD`, see `bwrapArgsPayload`), not its
 * command line, so the sandbox reading /proc/1/cmdline learns nothing of the machine's paths.
 */
export interface BubblewrapOptions {
  folder: SandboxFolder;
  /** The bundled sidecar on the platform's machine. */
  sidecarBundle: string;
  /** The node binary on the platform's machine (mounted where it is, under /usr). */
  nodePath: string;
  tmpBytes: number;
  /** The fd bwrap writes its JSON info to (the namespace's first process, as the platform sees it). */
  infoFd: number;
  env: Record<string, string>;
}

/** The size of the sandbox's home and /dev/shm: small, since /tmp and the workspace are where work goes. */
export const SMALL_TMPFS_BYTES = 64 * 1024 * 1024;

/** System paths mounted read-only, when the machine has them. */
const SYSTEM_PATHS = ["/usr", "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/localtime", "/etc/ld.so.cache"];
/** Merged-/usr links, as on Debian: /bin → usr/bin and so on. */
const USR_LINKS = [
  ["usr/bin", "/bin"],
  ["usr/sbin", "/sbin"],
  ["usr/lib", "/lib"],
  ["usr/lib64", "/lib64"],
] as const;

/** bwrap's options (passed through `--args FD`) and the command it runs (which bwrap takes only from its real command line). */
export function bubblewrapArgs({ folder, sidecarBundle, nodePath, tmpBytes, infoFd, env }: BubblewrapOptions): { options: string[]; command: string[] } {
  const args = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    // Nor may it make user namespaces of its own: the kernel surface they open is not needed.
    "--disable-userns",
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_UID),
    "--hostname",
    "sandbox",
    "--cap-drop",
    "ALL",
    // A new session: the sandbox cannot push keystrokes into a terminal it inherited (TIOCSTI).
    "--new-session",
    "--info-fd",
    String(infoFd),
  ];
  for (const path of SYSTEM_PATHS) args.push("--ro-bind-try", path, path);
  for (const [target, link] of USR_LINKS) args.push("--symlink", target, link);
  if (!nodePath.startsWith("/usr/")) args.push("--ro-bind", nodePath, nodePath);
  args.push(
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    // Every writable tmpfs is memory, so every one has a size (`--size` applies to the next
    // --tmpfs only): a turn cannot fill the machine's RAM through /tmp, its home or /dev/shm.
    "--size",
    String(tmpBytes),
    "--tmpfs",
    "/tmp",
    "--size",
    String(SMALL_TMPFS_BYTES),
    "--tmpfs",
    INSIDE.home,
    "--size",
    String(SMALL_TMPFS_BYTES),
    "--tmpfs",
    "/dev/shm",
    // The rest of /dev (bwrap's own tmpfs of device nodes) holds nothing to write to.
    "--remount-ro",
    "/dev",
    "--ro-bind",
    `${folder.etc}/passwd`,
    "/etc/passwd",
    "--ro-bind",
    `${folder.etc}/group`,
    "/etc/group",
    "--ro-bind",
    sidecarBundle,
    INSIDE.sidecar,
    "--ro-bind",
    folder.grant,
    INSIDE.grant,
    "--bind",
    folder.state,
    INSIDE.state,
    "--bind",
    folder.workspace,
    INSIDE.workspace,
    // Last, once every mount point exists: the root itself (a tmpfs bwrap made) becomes read-only too.
    "--remount-ro",
    "/",
    "--chdir",
    INSIDE.workspace,
    // Only what the sandbox is given: nothing of the platform's environment comes through.
    "--clearenv",
  );
  for (const [name, value] of Object.entries(env)) args.push("--setenv", name, value);
  return { options: args, command: [nodePath, INSIDE.sidecar] };
}

/** The options as `bwrap --args FD` reads them: each ended by a NUL byte. */
export function bwrapArgsPayload(args: string[]): Buffer {
  return Buffer.from(args.map((arg) => `${arg}\0`).join(""), "utf8");
}
