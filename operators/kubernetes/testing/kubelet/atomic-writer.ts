import { randomInt } from "node:crypto";
import { chmod, lchown, lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { VolumeSetupError } from "./service-account-tokens";

/** One file of a Secret, ConfigMap, downward-API or projected volume: its path in the volume, content and mode. */
export interface VolumeFile {
  path: string;
  content: string;
  mode: number;
}

const DATA_DIR_LINK = "..data";
const NEW_DATA_DIR_LINK = "..data_tmp";
const MAX_FILE_NAME_LENGTH = 255;
const MAX_PATH_LENGTH = 4096;

/**
 * Projects `files` into `dir` as the kubelet's AtomicWriter does (pkg/volume/util/atomic_writer.go),
 * so a reader never sees half of an update and can watch for one:
 *
 *     dir/..2024_05_01_10_11_12.3456789012/   the files, as of one write
 *     dir/..data -> ..2024_05_01_10_11_12.3456789012
 *     dir/<top-level name> -> ..data/<top-level name>   (one per key or first path segment)
 *
 * An update writes a new timestamped folder, points a new link at it and renames that over
 * `..data` (a rename is atomic; it is also the one inotify event a consumer needs to watch for),
 * then removes the visible links nothing points through any more and the old folder. Nothing is
 * written when the content and the set of paths are unchanged, so `..data` moves only when the
 * data did. With `fsGroup`, the volume is then owned by that group and group-readable, as
 * SetVolumeOwnership leaves a read-only volume. Returns whether it wrote.
 */
export async function writeAtomically(dir: string, files: VolumeFile[], fsGroup: number | undefined): Promise<boolean> {
  for (const file of files) validatePath(file.path);
  const oldDataDir = await readlink(path.join(dir, DATA_DIR_LINK)).catch(() => undefined);
  const oldPaths = oldDataDir ? await filesUnder(path.join(dir, oldDataDir)) : new Set<string>();
  const newPaths = new Set(files.map((file) => path.normalize(file.path)));
  const removed = [...oldPaths].filter((file) => !newPaths.has(file));
  if (oldDataDir && removed.length === 0 && !(await contentDiffers(path.join(dir, oldDataDir), files))) return false;

  const dataDir = await newTimestampedDir(dir);
  for (const file of files) {
    const target = path.join(dir, dataDir, file.path);
    await mkdirAll(path.join(dir, dataDir), path.dirname(file.path));
    await writeFile(target, file.content, { mode: file.mode });
    await chmod(target, file.mode); // writeFile's mode is cut by the umask
  }
  if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup);

  const newLink = path.join(dir, NEW_DATA_DIR_LINK);
  await rm(newLink, { force: true }); // left by a write that died between link and rename
  await symlink(dataDir, newLink);
  await rename(newLink, path.join(dir, DATA_DIR_LINK));

  const visible = new Set([...newPaths].map(topLevel));
  for (const name of visible) await ensureVisibleLink(dir, name);
  for (const name of new Set([...oldPaths].map(topLevel))) {
    if (!visible.has(name)) await rm(path.join(dir, name), { force: true });
  }
  if (oldDataDir && oldDataDir !== dataDir) await rm(path.join(dir, oldDataDir), { recursive: true, force: true });
  return true;
}

/** The payload's paths as validatePayload has them: relative, no `..` segment, not starting with `..` (those names are the writer's own). */
function validatePath(file: string): void {
  const invalid = (why: string) => new VolumeSetupError(`invalid path ${JSON.stringify(file)}: ${why}`);
  if (file === "") throw invalid("must not be empty");
  if (path.isAbsolute(file)) throw invalid("must be relative path");
  if (file.length > MAX_PATH_LENGTH) throw invalid(`must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  const segments = file.split("/");
  if (segments.some((segment) => segment.length > MAX_FILE_NAME_LENGTH)) throw invalid(`path segments must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`);
  if (segments.includes("..")) throw invalid("must not contain '..'");
  if (file.startsWith("..")) throw invalid("must not start with '..'");
}

const topLevel = (file: string) => file.split(path.sep)[0]!;

/** Every file (not folder) under `root`, as paths relative to it. */
async function filesUnder(root: string): Promise<Set<string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return new Set(entries.filter((entry) => !entry.isDirectory()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))));
}

async function contentDiffers(dataDir: string, files: VolumeFile[]): Promise<boolean> {
  for (const file of files) {
    const current = await readFile(path.join(dataDir, file.path)).catch(() => undefined);
    if (!current?.equals(Buffer.from(file.content))) return true;
  }
  return false;
}

/** `..<UTC time as 2006_01_02_15_04_05>.<random digits>`, as Go's os.MkdirTemp names it, mode 0755. */
async function newTimestampedDir(dir: string): Promise<string> {
  const now = new Date();
  const two = (value: number) => String(value).padStart(2, "0");
  const stamp = `${now.getUTCFullYear()}_${two(now.getUTCMonth() + 1)}_${two(now.getUTCDate())}_${two(now.getUTCHours())}_${two(now.getUTCMinutes())}_${two(now.getUTCSeconds())}`;
  for (;;) {
    const name = `..${stamp}.${randomInt(0, 2 ** 32)}`;
    try {
      await mkdir(path.join(dir, name));
      await chmod(path.join(dir, name), 0o755);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** The folders on the way to a file, 0755 (MkdirAll with ModePerm under the kubelet's umask). */
async function mkdirAll(root: string, relative: string): Promise<void> {
  let current = root;
  for (const segment of relative === "." ? [] : relative.split(path.sep)) {
    current = path.join(current, segment);
    await mkdir(current, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

/** `dir/name -> ..data/name`; whatever else stands there (a file from an older layout) is replaced. */
async function ensureVisibleLink(dir: string, name: string): Promise<void> {
  const link = path.join(dir, name);
  const wanted = path.join(DATA_DIR_LINK, name);
  if ((await readlink(link).catch(() => undefined)) === wanted) return;
  await rm(link, { recursive: true, force: true });
  await symlink(wanted, link);
}

/**
 * What SetVolumeOwnership does to a read-only volume (pkg/volume/volume_linux.go): everything in
 * it belongs to group `fsGroup` (links too, by lchown), files gain 0440, folders 0550 and setgid.
 */
async function setVolumeOwnership(dir: string, fsGroup: number): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const target of [dir, ...entries.map((entry) => path.join(entry.parentPath, entry.name))]) {
    const info = await lstat(target);
    await lchown(target, info.uid, fsGroup);
    if (info.isSymbolicLink()) continue;
    await chmod(target, (info.mode & 0o7777) | (info.isDirectory() ? 0o2550 : 0o440));
  }
}
