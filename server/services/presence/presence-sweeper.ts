import { log } from "../../log";
import type { Store } from "../../store/store";
import { markSilentHostsDropped } from "./host-presence";

const SWEEP_EVERY_MS = 5_000;
const SWEEPER_KEY = Symbol.for("discoparrot.presenceSweeper");
type SweeperHolder = { [SWEEPER_KEY]?: NodeJS.Timeout };

/**
 * Every few seconds, shows as dropped the hosts whose operator went silent without the hub
 * noticing (a frozen process, a half-open socket): a disconnect event alone would miss them.
 * One per process.
 */
export function startPresenceSweeper(store: Store): void {
  const holder = globalThis as SweeperHolder;
  if (holder[SWEEPER_KEY]) return;
  let running = false;
  holder[SWEEPER_KEY] = setInterval(() => {
    if (running) return;
    running = true;
    markSilentHostsDropped(store)
      .then((dropped) => {
        if (dropped > 0) log.info("host.presence_swept", { dropped });
      })
      .catch((error: unknown) => log.warn("host.presence_sweep_failed", { error }))
      .finally(() => (running = false));
  }, SWEEP_EVERY_MS);
  holder[SWEEPER_KEY].unref();
}
