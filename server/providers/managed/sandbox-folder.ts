import fs from "node:fs";
import path from "node:path";

/**
 * Where a managed sandbox's files live on the platform's machine, and which of them the sandbox
 * may see. Only `workspace/` and `state/` are mounted writable inside; `grant/` is mounted
 * read-only (the platform rewrites the access URL there); `etc/` holds the sandbox's own
 * passwd and group, read-only. `box.json` (which process is the sandbox) and `sidecar.log` stay
 * outside, where nothing the sandbox runs can rewrite them: a sandbox that could rewrite its pid
 * file could make destroy signal the platform.
 */
export interface SandboxFolder {
  base: string;
  workspace: string;
  state: string;
  grant: string;
  etc: string;
  accessUrl: string;
  box: string;
  sidecarLog: string;
}

export function sandboxFolder(root: string, sandboxId: string): SandboxFolder {
  const base = path.join(root, sandboxId);
  const grant = path.join(base, "grant");
  return {
    base,
    workspace: path.join(base, "workspace"),
    state: path.join(base, "state"),
    grant,
    etc: path.join(base, "etc"),
    accessUrl: path.join(grant, "access-url"),
    box: path.join(base, "box.json"),
    sidecarLog: path.join(base, "sidecar.log"),
  };
}

/** The paths the sandbox sees, the same layout as the sandbox container image. */
export const INSIDE = {
  workspace: "/workspace",
  state: "/var/lib/discoparrot",
  grant: "/run/discoparrot",
  accessUrl: "/run/discoparrot/access-url",
  eventLog: "/var/lib/discoparrot/events.jsonl",
  sidecar: "/opt/discoparrot/sidecar.cjs",
  home: "/home/sandbox",
} as const;

/** The uid and gid every sandbox runs as, inside its user namespace. */
export const SANDBOX_UID = 1000;

/**
 * Makes the folder. `hostUid` is the machine's uid the sandbox runs as when the platform is root
 * (see `sandbox-host-user.ts`): it gets the workspace, its state and its grant; the folder itself
 * stays the platform's, traversable only, so the sandbox's uid can neither list nor rename what
 * the platform keeps beside them.
 */
export function prepareSandboxFolder(folder: SandboxFolder, hostUid?: number): void {
  fs.mkdirSync(folder.base, { recursive: true, mode: hostUid === undefined ? 0o700 : 0o711 });
  for (const dir of [folder.workspace, folder.state, folder.grant]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (hostUid !== undefined) fs.chownSync(dir, hostUid, hostUid);
  }
  fs.mkdirSync(folder.etc, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(folder.etc, "passwd"), `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:sandbox:${INSIDE.home}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`, { mode: 0o644 });
  fs.writeFileSync(path.join(folder.etc, "group"), `root:x:0:\nsandbox:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`, { mode: 0o644 });
}

/**
 * Writes the sandbox's access URL so that it is replaced whole (the sidecar never reads half a
 * URL) and never through a link: the folder is the platform's, but the write must not follow a
 * name anyone else could have planted.
 */
export function writeAccessUrl(folder: SandboxFolder, accessUrl: string, hostUid?: number): void {
  const next = `${folder.accessUrl}.next`;
  fs.rmSync(next, { force: true });
  const fd = fs.openSync(next, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    if (hostUid !== undefined) fs.fchownSync(fd, hostUid, hostUid);
    fs.writeSync(fd, accessUrl);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(next, folder.accessUrl);
}

/**
 * Removes the folder whatever the sandbox did to it: a directory it made unreadable (mode 000)
 * stops a plain recursive remove for a platform that is not root, so permissions are opened first.
 */
export function removeSandboxFolder(folder: SandboxFolder): void {
  try {
    fs.rmSync(folder.base, { recursive: true, force: true });
    return;
  } catch {
    // Fall through: open up what the sandbox locked, then remove again.
  }
  openUp(folder.base);
  fs.rmSync(folder.base, { recursive: true, force: true });
}

function openUp(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) openUp(path.join(dir, entry.name));
    }
  } catch {
    // Best effort; the second remove reports what is left.
  }
}
