import { log } from "./log";
import type { Schedule } from "./scheduler/schedule";
import type { TurnStartReconciler } from "./services/runs/turn-start-reconciler";
import { endAllRunStreams } from "./services/events/run-fanout";

/** However many streams are open, the process is gone this long after SIGTERM. */
export const STOP_WITHIN_MS = 5_000;
/** How long passes under way may take to finish before the leases of the others are given up. */
const SCHEDULE_GRACE_MS = 2_000;
/** How long requests under way get once the streams have ended. */
const IN_FLIGHT_MS = 500;

const DRAINING_KEY = Symbol.for("discoparrot.draining");
type DrainingHolder = { [DRAINING_KEY]?: boolean };

/** Whether this process is stopping: it takes no new work (readiness says so, new streams are sent elsewhere). */
export function isDraining(): boolean {
  return (globalThis as DrainingHolder)[DRAINING_KEY] === true;
}

/**
 * What SIGTERM (a deploy letting the old revision go) or SIGINT does, beside Next.js's own
 * handler (which stops accepting connections and exits once the open ones are done):
 *  - readiness answers 503 and new event streams are refused with Retry-After, so traffic moves on;
 *  - every open run event stream ends, so its client reconnects, to the next revision, from its
 *    cursor (an open stream would otherwise hold the exit back for ever);
 *  - the schedule gives its job leases up, so another process takes the jobs at once, and the
 *    turn-start queue takes no more keys (a start it held is claimed again once its lease lapses);
 *  - and whatever still holds on, the process exits STOP_WITHIN_MS after the signal.
 * Recorded intent (turns, claims) needs nothing here: the next process picks it up from the store.
 */
export function installGracefulStop(schedule: Schedule, turnStarts?: TurnStartReconciler): void {
  const holder = globalThis as DrainingHolder;
  if (holder[DRAINING_KEY] !== undefined) return;
  holder[DRAINING_KEY] = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (holder[DRAINING_KEY]) return;
    holder[DRAINING_KEY] = true;
    const code = signal === "SIGINT" ? 130 : 143;
    setTimeout(() => {
      log.warn("platform.stop_forced", { afterMs: STOP_WITHIN_MS });
      process.exit(code);
    }, STOP_WITHIN_MS).unref();
    const streams = endAllRunStreams();
    log.info("platform.stopping", { signal, streamsEnded: streams });
    await Promise.all([
      schedule.stop({ graceMs: SCHEDULE_GRACE_MS }).catch((error: unknown) => log.warn("platform.schedule_stop_failed", { error })),
      turnStarts?.shutdown(SCHEDULE_GRACE_MS),
    ]);
    // `npm start` and the image own the signal (NEXT_MANUAL_SIG_HANDLE): once the leases are given
    // up, a moment for responses under way, then exit. Otherwise (next dev) Next.js exits on its own.
    if (process.env.NEXT_MANUAL_SIG_HANDLE === "true") {
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_MS));
      log.info("platform.stopped", { signal });
      process.exit(code);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
