import type { z } from "zod";
import { SIDECAR_COMMANDS, ZEventsReplay, type ZEventsReplayReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { CommandError } from "../../shared/command-error";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/**
 * `events.replay`: every logged event of the run after `afterSeq` (through `throughSeq` when the
 * platform names the end of a hole), sent again in order, each acknowledged by the hub before
 * the next, and all of them before the reply. `lastSeq` is the highest sequence number the run
 * has in this sandbox's log now (for the platform's diagnostics; what it stored is its marker's business).
 * If the connection fails partway, the command fails with `replay_incomplete`, saying how far it
 * got: the platform asks again from there.
 */
export function eventsReplayHandler({ events }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.eventsReplay]: async (payload, { signal }): Promise<z.infer<typeof ZEventsReplayReply>> => {
      const { runId, afterSeq, throughSeq = Infinity } = parseInput(ZEventsReplay, payload, SIDECAR_COMMANDS.eventsReplay);
      const stored = await events.log.after(runId, afterSeq, { throughSeq });
      const sent = await events.resend(stored, signal);
      if (sent < stored.length) {
        const reached = sent > 0 ? stored[sent - 1]!.seq : afterSeq;
        throw new CommandError("replay_incomplete", `Sent ${sent} of ${stored.length} events of ${runId} (through seq ${reached}) before the channel failed.`);
      }
      return { sent, lastSeq: Math.max(afterSeq, stored.at(-1)?.seq ?? 0, events.log.lastSeq(runId)) };
    },
  };
}
