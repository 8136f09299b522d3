import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

/**
 * What the workspace looks like (each file's size and modification time), so a turn can say which
 * files it created, modified or deleted by comparing before with after. Cheap and good enough for
 * a sandbox: a file rewritten with the same size within the filesystem's timestamp resolution is
 * missed. Symlinks are listed, not followed; `.git` is skipped (an agent's commits would flood it).
 */
export type WorkspaceSnapshot = Map<string, string>;

const SKIPPED_DIRS = new Set([".git"]);
/** A workspace bigger than this is only partly compared. */
const MAX_ENTRIES = 50_000;

export async function snapshotWorkspace(root: string): Promise<WorkspaceSnapshot> {
  const snapshot: WorkspaceSnapshot = new Map();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (snapshot.size >= MAX_ENTRIES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
        continue;
      }
      try {
        const stat = await lstat(full);
        snapshot.set(path.relative(root, full).split(path.sep).join("/"), `${stat.size}:${stat.mtimeMs}`);
      } catch {
        // Gone between the listing and the look: it is not there.
      }
    }
  };
  await walk(root);
  return snapshot;
}

export interface FileChange {
  path: string;
  change: "created" | "modified" | "deleted";
}

export function changesBetween(before: WorkspaceSnapshot, after: WorkspaceSnapshot): FileChange[] {
  const changes: FileChange[] = [];
  for (const [file, stamp] of after) {
    const was = before.get(file);
    if (was === undefined) changes.push({ path: file, change: "created" });
    else if (was !== stamp) changes.push({ path: file, change: "modified" });
  }
  for (const file of before.keys()) if (!after.has(file)) changes.push({ path: file, change: "deleted" });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}
