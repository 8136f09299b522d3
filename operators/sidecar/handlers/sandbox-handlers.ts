import type { z } from "zod";
import { SIDECAR_COMMANDS, type ZSandboxHealthReply, type ZSandboxShutdownReply, ZTokenRefresh, type ZTokenRefreshReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/**
 * `sandbox.health`: what the sidecar is and how far each run's events go. `token.refresh`: the
 * platform's fresh access URL, kept for the next reconnect (the open connection does not need it:
 * the hub checks a token only when a socket opens). Its reply (ZTokenRefreshReply) says
 * whether the URL's file took it.
 */
export function sandboxHandlers({ settings, turns, events, grants, log, shutdown }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.health]: async (): Promise<z.infer<typeof ZSandboxHealthReply>> => ({
      sandboxId: settings.sandboxId,
      agent: settings.agent,
      busy: turns.busy,
      lastSeq: events.log.allLastSeqs(),
    }),
    [SIDECAR_COMMANDS.tokenRefresh]: async (payload): Promise<z.input<typeof ZTokenRefreshReply>> => {
      const { url, expiresAt } = parseInput(ZTokenRefresh, payload, SIDECAR_COMMANDS.tokenRefresh);
      const { persisted } = await grants.accept(url);
      log.info("channel access refreshed", { expiresAt, kept: persisted ? "file" : "memory" });
      return { refreshed: true, persisted };
    },
    [SIDECAR_COMMANDS.shutdown]: async (): Promise<z.infer<typeof ZSandboxShutdownReply>> => {
      log.info("asked to stop for good: the sandbox was destroyed and its host cannot remove it");
      // After the reply has gone out: stopping closes the channel it travels on.
      setTimeout(shutdown, 200).unref();
      return { stopping: true };
    },
  };
}
