import type { z } from "zod";
import { SIDECAR_COMMANDS, type ZSandboxHealthReply, type ZSandboxShutdownReply, ZTokenRefresh } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { writeAccessUrl } from "../url-file-grants";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/**
 * `sandbox.health`: what the sidecar is and how far each run's events go. `token.refresh`: the
 * platform's fresh access URL, written to the access URL file so the next reconnect uses it (the
 * open connection does not need it: the hub checks a token only when a socket opens). Its reply,
 * `{refreshed: true}` (ZTokenRefreshReply).
 */
export function sandboxHandlers({ settings, turns, events, log, shutdown }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.health]: async (): Promise<z.infer<typeof ZSandboxHealthReply>> => ({
      sandboxId: settings.sandboxId,
      agent: settings.agent,
      busy: turns.busy,
      lastSeq: events.log.allLastSeqs(),
    }),
    [SIDECAR_COMMANDS.tokenRefresh]: async (payload): Promise<{ refreshed: true }> => {
      const { url, expiresAt } = parseInput(ZTokenRefresh, payload, SIDECAR_COMMANDS.tokenRefresh);
      await writeAccessUrl(settings.accessUrlFile, url);
      log.info("channel access refreshed", { expiresAt });
      return { refreshed: true };
    },
    [SIDECAR_COMMANDS.shutdown]: async (): Promise<z.infer<typeof ZSandboxShutdownReply>> => {
      log.info("asked to stop for good: the sandbox was destroyed and its host cannot remove it");
      // After the reply has gone out: stopping closes the channel it travels on.
      setTimeout(shutdown, 200).unref();
      return { stopping: true };
    },
  };
}
