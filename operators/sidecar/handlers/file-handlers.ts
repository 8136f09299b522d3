import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { SIDECAR_COMMANDS, ZFilesRead, type ZFilesReadReply, ZFilesWrite, type ZFilesWriteReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { CommandError } from "../../shared/command-error";
import { resolveInWorkspace } from "../workspace-path";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/**
 * `files.read` / `files.write`: one file in the workspace, as base64. Large files are fine (the
 * reply envelope is chunked), up to a ceiling that keeps the base64 reply well inside the
 * envelope's 64 MiB message limit.
 */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function fileHandlers({ settings }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.filesRead]: async (payload): Promise<z.infer<typeof ZFilesReadReply>> => {
      const input = parseInput(ZFilesRead, payload, SIDECAR_COMMANDS.filesRead);
      const file = await resolveInWorkspace(settings.workspaceDir, input.path).catch(notFound(input.path));
      const info = await stat(file).catch(notFound(input.path));
      if (!info.isFile()) throw new CommandError("not_a_file", `${input.path} is not a file.`);
      if (info.size > MAX_FILE_BYTES) throw new CommandError("too_large", `${input.path} is ${info.size} bytes; files.read takes at most ${MAX_FILE_BYTES}.`);
      const content = await readFile(file);
      return { path: input.path, base64: content.toString("base64"), bytes: content.length };
    },
    [SIDECAR_COMMANDS.filesWrite]: async (payload): Promise<z.infer<typeof ZFilesWriteReply>> => {
      const input = parseInput(ZFilesWrite, payload, SIDECAR_COMMANDS.filesWrite);
      const content = Buffer.from(input.base64, "base64");
      if (content.length > MAX_FILE_BYTES) throw new CommandError("too_large", `files.write takes at most ${MAX_FILE_BYTES} bytes.`);
      const file = await resolveInWorkspace(settings.workspaceDir, input.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return { bytes: content.length };
    },
  };
}

function notFound(relative: string) {
  return (error: unknown): never => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CommandError("not_found", `${relative} does not exist in the workspace.`);
    throw error;
  };
}
