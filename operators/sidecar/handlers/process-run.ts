import type { z } from "zod";
import { SIDECAR_COMMANDS, ZProcessRun, type ZProcessRunReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { runProcessGroup } from "../agents/process-group";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/**
 * `process.run`: a shell command in the workspace, outside any run (a file listing, `git
 * status`), answered with its exit and output once it ends. It lives within the command's
 * deadline (60 s): past it, its process group is ended and the reply is `timeout`. Output beyond
 * MAX_OUTPUT_CHARS per stream is dropped and `truncated` says so.
 */

const MAX_OUTPUT_CHARS = 1024 * 1024;

export function processRunHandler({ settings }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.processRun]: async (payload, { signal }): Promise<z.infer<typeof ZProcessRunReply>> => {
      const { command } = parseInput(ZProcessRun, payload, SIDECAR_COMMANDS.processRun);
      const output = { stdout: "", stderr: "" };
      let truncated = false;
      const exit = await runProcessGroup({
        command: "/bin/sh",
        args: ["-c", command],
        cwd: settings.workspaceDir,
        signal,
        onOutput: (stream, text) => {
          const room = MAX_OUTPUT_CHARS - output[stream].length;
          if (text.length > room) truncated = true;
          output[stream] += text.slice(0, Math.max(0, room));
        },
      });
      return { exitCode: exit.exitCode, signal: exit.signal, ...output, truncated };
    },
  };
}
