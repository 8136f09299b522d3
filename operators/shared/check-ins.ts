import type { WebPubSubClient } from "@azure/web-pubsub-client";
import { CHANNEL_CAPABILITIES, CHANNEL_EVENTS, type TCheckIn, type THealthFacts, type TWarmPoolCount, ZCheckIn, ZWarmPoolCounts } from "@/prisma-free-schema";
import type { OperatorLog } from "./operator-log";

/**
 * The check-in on one connection: right away, then every `intervalMs`. It is also the
 * connection's heartbeat (the SDK's own keep-alive is off; see operator-channel.ts): a check-in
 * the hub does not acknowledge within `timeoutMs` means the connection is dead, and `onDead`
 * drops it. A check-in the hub answers with an error (its event handler failed: the platform is
 * restarting) still proves the connection is alive. `soon()` checks in again shortly, out of
 * turn: a warm pool that filled shows on the host page without waiting out the interval.
 */
export interface CheckInOptions {
  client: WebPubSubClient;
  operatorVersion: string;
  health: () => THealthFacts | Promise<THealthFacts>;
  /** A Docker host's warm pools as they are now; absent where there are none to keep. */
  warmPools?: () => TWarmPoolCount[];
  intervalMs: number;
  /** How long `soon()` waits, so a burst of changes (a pool filling) is one check-in. */
  soonMs?: number;
  timeoutMs: number;
  log: OperatorLog;
  /** The first check-in the hub answered: the connection works end to end. */
  onHealthy(): void;
  onDead(reason: string): void;
}

/** Out-of-turn check-ins come at most this often. */
export const CHECK_IN_SOON_MS = 1_000;

export function startCheckIns(options: CheckInOptions): { stop(): void; soon(): void } {
  const { client, intervalMs, timeoutMs, log } = options;
  let inFlight = false;
  let healthy = false;
  let stopped = false;
  /** A change came while a check-in was in flight: that one may predate it, so another follows. */
  let again = false;
  let soonTimer: NodeJS.Timeout | undefined;

  const checkIn = async (changed = false) => {
    if (stopped) return;
    // One at a time: a check-in still waiting for its ack already covers this beat (not a change).
    if (inFlight) {
      again ||= changed;
      return;
    }
    inFlight = true;
    try {
      await client.sendEvent(CHANNEL_EVENTS.checkIn, await currentCheckIn(options), "json", { abortSignal: AbortSignal.timeout(timeoutMs) });
      log.debug("checked in");
      if (!healthy) {
        healthy = true;
        options.onHealthy();
      }
    } catch (error) {
      if (stopped) return;
      const refusal = hubRefusal(error);
      if (refusal) {
        log.warn("the platform did not take the check-in; the connection is up", { refusal });
        return;
      }
      options.onDead(`check-in got no answer within ${timeoutMs} ms`);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        soon();
      }
    }
  };
  const soon = () => {
    if (stopped || soonTimer) return;
    soonTimer = setTimeout(() => {
      soonTimer = undefined;
      void checkIn(true);
    }, options.soonMs ?? CHECK_IN_SOON_MS);
  };

  void checkIn();
  const timer = setInterval(() => void checkIn(), intervalMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(soonTimer);
    },
    soon,
  };
}

/** What this client understands beyond the base protocol (the inbox takes command batches). */
const CAPABILITIES = [CHANNEL_CAPABILITIES.commandBatches];

/** Health facts or warm pools that cannot be gathered or do not fit the schema must not stop the heartbeat. */
async function currentCheckIn({ operatorVersion, health, warmPools, log }: CheckInOptions): Promise<TCheckIn> {
  const pools = currentWarmPools(warmPools, log);
  try {
    return ZCheckIn.parse({ operatorVersion, health: await health(), capabilities: CAPABILITIES, warmPools: pools });
  } catch (error) {
    log.warn("health facts unavailable; checking in without them", { error });
    return { operatorVersion, health: {}, capabilities: CAPABILITIES, warmPools: pools };
  }
}

function currentWarmPools(warmPools: CheckInOptions["warmPools"], log: OperatorLog): TCheckIn["warmPools"] {
  if (!warmPools) return undefined;
  const parsed = ZWarmPoolCounts.safeParse(warmPools());
  if (parsed.success) return parsed.data;
  log.warn("warm pool counts do not fit the check-in; checking in without them", { error: parsed.error.message });
  return undefined;
}

/** The hub's own refusal (an ack with an error) as `name: message`; undefined when nothing answered. */
export function hubRefusal(error: unknown): string | undefined {
  const detail = (error as { errorDetail?: { name?: string; message?: string } } | undefined)?.errorDetail;
  return detail ? `${detail.name ?? "Error"}: ${detail.message ?? ""}` : undefined;
}
