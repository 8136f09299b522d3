import { realpath } from "node:fs/promises";
import path from "node:path";
import { CommandError } from "../shared/command-error";

/**
 * A workspace-relative path from the platform, as an absolute path that is really inside the
 * workspace: not by `..`, not by an absolute path, and not through a symlink that points out
 * (the agent may have made one). For a file that does not exist yet, its nearest existing
 * ancestor must resolve inside. The check is made just before use; an agent racing to swap a
 * directory for a symlink in between is not defended against (it already runs in the sandbox).
 */
export async function resolveInWorkspace(workspaceDir: string, relative: string): Promise<string> {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) throw outside(relative);
  const root = await realpath(workspaceDir);
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) throw outside(relative);

  let existing = candidate;
  for (;;) {
    try {
      const real = await realpath(existing);
      if (!isInside(root, real)) throw outside(relative);
      // The file itself exists: use where it really is.
      return existing === candidate ? real : candidate;
    } catch (error) {
      if (error instanceof CommandError) throw error;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || existing === root) throw error;
      existing = path.dirname(existing);
    }
  }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function outside(relative: string): CommandError {
  return new CommandError("outside_workspace", `${relative} is not inside the workspace.`);
}
