import type { TSidecarSettings } from "../sidecar-settings";
import type { OperatorLog } from "../../shared/operator-log";
import type { RunEvents } from "../run-events";
import type { TurnRunner } from "../turn-runner";
import type { UrlFileGrants } from "../url-file-grants";

/** What the command handlers share: the sandbox's settings, its turn, its events. */
export interface SidecarContext {
  settings: TSidecarSettings;
  turns: TurnRunner;
  events: RunEvents;
  /** Where the channel's access URL comes from; `token.refresh` hands it the next one. */
  grants: UrlFileGrants;
  log: OperatorLog;
  /** Stops the sidecar for good (its process then exits): asked for by `sandbox.shutdown`. */
  shutdown(): void;
}
