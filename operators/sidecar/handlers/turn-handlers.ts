import type { z } from "zod";
import { SIDECAR_COMMANDS, ZTurnCancel, type ZTurnCancelReply, ZTurnStart, type ZTurnStartReply } from "@/prisma-free-schema";
import type { CommandHandlers } from "../../shared/answer-command";
import { parseInput } from "./parse-input";
import type { SidecarContext } from "./sidecar-context";

/** `turn.start` is answered as soon as the turn has begun; its events stream separately. `turn.cancel` waits for the turn to end. */
export function turnHandlers({ turns }: SidecarContext): CommandHandlers {
  return {
    [SIDECAR_COMMANDS.turnStart]: async (payload): Promise<z.infer<typeof ZTurnStartReply>> => {
      const started = turns.start(parseInput(ZTurnStart, payload, SIDECAR_COMMANDS.turnStart));
      return { accepted: true, repeated: !started };
    },
    [SIDECAR_COMMANDS.turnCancel]: async (payload): Promise<z.infer<typeof ZTurnCancelReply>> => {
      const { runId, turn } = parseInput(ZTurnCancel, payload, SIDECAR_COMMANDS.turnCancel);
      return { cancelled: await turns.cancel(runId, turn) };
    },
  };
}
