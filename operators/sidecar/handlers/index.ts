import type { CommandHandlers } from "../../shared/answer-command";
import { eventsReplayHandler } from "./events-replay";
import { fileHandlers } from "./file-handlers";
import { processRunHandler } from "./process-run";
import { sandboxHandlers } from "./sandbox-handlers";
import type { SidecarContext } from "./sidecar-context";
import { turnHandlers } from "./turn-handlers";

/** Every SIDECAR_COMMANDS entry's handler. */
export function sidecarHandlers(context: SidecarContext): CommandHandlers {
  return {
    ...sandboxHandlers(context),
    ...turnHandlers(context),
    ...eventsReplayHandler(context),
    ...fileHandlers(context),
    ...processRunHandler(context),
  };
}
