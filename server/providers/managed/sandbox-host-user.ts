import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Which of the machine's users a sandbox's uid 1000 is. A platform that is not root has no
 * choice: every sandbox maps to the platform's own uid (bubblewrap maps only that one without
 * setuid helpers), and the kernel counts their processes together. A platform running as root
 * gives each sandbox a uid of its own from an unused range instead, for two reasons: the kernel
 * does not enforce RLIMIT_NPROC on a user-namespace root mapped to the machine's root, and a
 * process limit counted per uid is then a per-sandbox limit; and whatever a sandbox's processes
 * are, on the machine they are nobody in particular, not root.
 */
/** Far above the ranges /etc/subuid hands out (100000 and up, 65536 a person), so no one's rootless containers share it. */
export const SANDBOX_HOST_UID_BASE = 2_000_000_000;
const SANDBOX_HOST_UID_RANGE = 65_536;
/** The chosen uid is written down at once, before anything is started, so no two launches take the same. */
const HOST_UID_FILE = "host-uid";

export function platformIsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The host uid for `sandboxId` when the platform is root: the one it already has (a sandbox
 * started again after a crash keeps its files' owner), else one derived from its id that no
 * other sandbox under `root` holds, recorded in its folder before this returns. Undefined when
 * the platform is not root.
 */
export function hostUidFor(root: string, sandboxId: string): number | undefined {
  if (!platformIsRoot()) return undefined;
  const base = path.join(root, sandboxId);
  const had = readHostUid(base);
  if (had !== undefined) return had;
  const taken = new Set<number>();
  for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const uid = readHostUid(path.join(root, name));
    if (uid !== undefined) taken.add(uid);
  }
  let offset = createHash("sha256").update(sandboxId).digest().readUInt32BE(0) % SANDBOX_HOST_UID_RANGE;
  while (taken.has(SANDBOX_HOST_UID_BASE + offset)) offset = (offset + 1) % SANDBOX_HOST_UID_RANGE;
  const uid = SANDBOX_HOST_UID_BASE + offset;
  fs.mkdirSync(base, { recursive: true, mode: 0o711 });
  fs.writeFileSync(path.join(base, HOST_UID_FILE), String(uid), { mode: 0o600 });
  return uid;
}

export function readHostUid(base: string): number | undefined {
  try {
    const uid = Number(fs.readFileSync(path.join(base, HOST_UID_FILE), "utf8"));
    return Number.isInteger(uid) && uid >= SANDBOX_HOST_UID_BASE ? uid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * As root, a sandbox's own uid has to pass through the folders above its folder. DATA_DIR and
 * DATA_DIR/sandboxes are the platform's, so they are made traversable (never listable: 0711);
 * anything higher up is the operator's to change, and a launch says which one is in the way.
 * Returns null, or the problem with its fix.
 */
export function openWayToSandboxes(root: string): string | null {
  if (!platformIsRoot()) return null;
  fs.mkdirSync(root, { recursive: true, mode: 0o711 });
  for (const own of [root, path.dirname(root)]) {
    const mode = fs.statSync(own).mode & 0o777;
    if ((mode & 0o001) === 0) fs.chmodSync(own, (mode & 0o770) | 0o001);
  }
  for (let dir = path.dirname(path.dirname(root)); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      return `The platform runs as root, so each managed sandbox runs as a user of its own, which cannot pass through ${dir} on the way to ${root}. Make it traversable (chmod o+x ${dir}), move DATA_DIR, or run the platform as a non-root user.`;
    }
    if (dir === path.dirname(dir)) return null;
  }
}

/**
 * The sidecar bundle where a sandbox's own uid can read it: copied beside the sandboxes, named
 * by its content (a platform upgrade brings a new file; concurrent launches never share a
 * half-written one).
 */
export function stageSidecar(root: string, bundle: string): string {
  const content = fs.readFileSync(bundle);
  const staged = path.join(root, ".sidecar", `${createHash("sha256").update(content).digest("hex").slice(0, 16)}.cjs`);
  if (!fs.existsSync(staged)) {
    fs.mkdirSync(path.dirname(staged), { recursive: true, mode: 0o755 });
    fs.writeFileSync(`${staged}.${process.pid}`, content, { mode: 0o644 });
    fs.renameSync(`${staged}.${process.pid}`, staged);
  }
  return staged;
}

/**
 * Kills every process on the machine running as `uid`. A sandbox's uid is its own (as root), so
 * this is exactly the sandbox, found without its box.json: what ends one whose platform died
 * between starting it and writing down which process it is.
 */
export function killProcessesOf(uid: number): number {
  let killed = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(real) !== uid) continue;
      process.kill(Number(entry), "SIGKILL");
      killed += 1;
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}
