import type { TSidecarSettings } from "../sidecar-settings";
import type { OperatorLog } from "../../shared/operator-log";
import type { RunEvents } from "../run-events";
import type { TurnRunner } from "../turn-runner";

/** What the command handlers share: the sandbox's settings, its turn, its events. */
export interface SidecarContext {
  settings: TSidecarSettings;
  turns: TurnRunner;
  events: RunEvents;
  log: OperatorLog;
  /** Stops the sidecar for good (its process then exits): asked for by `sandbox.shutdown`. */
  shutdown(): void;
}
